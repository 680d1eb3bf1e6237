// GCP identities and secrets: service accounts, Secret Manager versions.
import { Kind } from "../kind";

export const GCP_IAM = {
    serviceAccount: "gcp:serviceaccount/account:Account",
    secretVersion: "gcp:secretmanager/secretVersion:SecretVersion",
} as const;

export const GCP_IAM_KINDS: ReadonlyArray<Kind> = [
    { name: "gcp-service-account", provider: "gcp", types: [GCP_IAM.serviceAccount] },
    { name: "gcp-secret-version", provider: "gcp", types: [GCP_IAM.secretVersion] },
];
