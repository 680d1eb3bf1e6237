/**
 * The clouds' naming rules for every resource type the program registers, each with its source,
 * and how each provider makes a name the program leaves unset (its autoname). The conformance check
 * holds every planned name (or, for an autonamed resource, its autonamed form) against these.
 */

/** One rule: a pattern covering charset and shape, a length range, and where the rule is written. */
export interface NameRule {
    /** Input property that holds the name (unset: the provider autonames it). */
    readonly field: string;
    readonly min: number;
    readonly max: number;
    /** Charset and shape; the whole name must match. */
    readonly pattern: RegExp;
    /** How far the name must be unique: a global name can collide with anyone's. */
    readonly unique: "global" | "region" | "parent";
    /** What the provider does when `field` is unset: append random characters, or nothing (a required name). */
    readonly autoname: "azure-native" | "tfbridge" | "kubernetes" | "none";
    readonly source: string;
    /** Where the name is when it is not the input `field` itself (a field of a JSON document the resource carries). */
    readonly read?: (inputs: Record<string, unknown>) => unknown;
}

/**
 * A provider's autoname for a logical name, with a fixed stand-in for the random part:
 * azure-native appends 8 random hex characters, the Terraform-bridged providers (aws, gcp) a
 * hyphen and 7 (https://www.pulumi.com/docs/iac/concepts/resources/names/#autonaming), Kubernetes a
 * hyphen and 8 (metadata.name when unset).
 */
export function autonamed(logicalName: string, how: NameRule["autoname"]): string | undefined {
    switch (how) {
        case "azure-native":
            return `${logicalName}0a1b2c3d`;
        case "tfbridge":
            return `${logicalName}-0a1b2c3`;
        case "kubernetes":
            return `${logicalName}-0a1b2c3d`;
        case "none":
            return undefined;
    }
}

/** What is wrong with `name` under `rule`; empty when it fits. */
export function nameProblems(name: string, rule: NameRule): string[] {
    const out: string[] = [];
    if (name.length < rule.min || name.length > rule.max) out.push(`${name.length} characters, allowed ${rule.min}-${rule.max}`);
    if (!rule.pattern.test(name)) out.push(`does not match ${rule.pattern}`);
    return out;
}

const ARM_NAMES = "https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/resource-name-rules";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Azure resource names (ARM), by azure-native type token. */
export const AZURE_NAME_RULES: Readonly<Record<string, NameRule>> = {
    // ARM_NAMES#microsoftresources: 1-90, alphanumerics, underscores, parentheses, hyphens, periods; can't end in a period.
    "azure-native:resources:ResourceGroup": { field: "resourceGroupName", min: 1, max: 90, pattern: /^[-\w.()]*[-\w()]$/, unique: "parent", autoname: "azure-native", source: `${ARM_NAMES}#microsoftresources` },
    // ARM_NAMES#microsoftstorage: 3-24 lowercase letters and numbers, global (<name>.blob.core.windows.net).
    "azure-native:storage:StorageAccount": { field: "accountName", min: 3, max: 24, pattern: /^[a-z0-9]+$/, unique: "global", autoname: "azure-native", source: `${ARM_NAMES}#microsoftstorage` },
    // ARM_NAMES#microsoftstorage: containers 3-63 lowercase letters, numbers, hyphens; start with a letter or number; no consecutive hyphens.
    "azure-native:storage:BlobContainer": { field: "containerName", min: 3, max: 63, pattern: /^[a-z0-9](?!.*--)[a-z0-9-]*[a-z0-9]$/, unique: "parent", autoname: "azure-native", source: `${ARM_NAMES}#microsoftstorage` },
    // ARM_NAMES#microsoftstorage: blobs 1-1024 characters, any URL characters (case sensitive).
    "azure-native:storage:Blob": { field: "blobName", min: 1, max: 1024, pattern: /^[^\\]+$/, unique: "parent", autoname: "azure-native", source: `${ARM_NAMES}#microsoftstorage` },
    // ARM_NAMES#microsoftkeyvault: 3-24 alphanumerics and hyphens, start with a letter, end with a letter or digit, no consecutive hyphens; global (<name>.vault.azure.net).
    "azure-native:keyvault:Vault": { field: "vaultName", min: 3, max: 24, pattern: /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]*[a-zA-Z0-9]$/, unique: "global", autoname: "azure-native", source: `${ARM_NAMES}#microsoftkeyvault` },
    // ARM_NAMES#microsoftkeyvault: secrets 1-127 alphanumerics and hyphens.
    "azure-native:keyvault:Secret": { field: "secretName", min: 1, max: 127, pattern: /^[a-zA-Z0-9-]+$/, unique: "parent", autoname: "azure-native", source: `${ARM_NAMES}#microsoftkeyvault` },
    // ARM_NAMES#microsoftcontainerregistry: 5-50 alphanumerics (ARM pattern ^[a-zA-Z0-9]*$), global (<name>.azurecr.io).
    "azure-native:containerregistry:Registry": { field: "registryName", min: 5, max: 50, pattern: /^[a-zA-Z0-9]*$/, unique: "global", autoname: "azure-native", source: `${ARM_NAMES}#microsoftcontainerregistry` },
    // AKS REST API, managedClusters resourceName: ^[a-zA-Z0-9]$|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$
    // (https://learn.microsoft.com/en-us/rest/api/aks/managed-clusters/create-or-update).
    "azure-native:containerservice:ManagedCluster": { field: "resourceName", min: 1, max: 63, pattern: /^[a-zA-Z0-9]$|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$/, unique: "parent", autoname: "azure-native", source: "https://learn.microsoft.com/en-us/rest/api/aks/managed-clusters/create-or-update" },
    // ARM_NAMES#microsoftcontainerservice: agent pools 1-12 (Linux), lowercase letters and numbers, start with a letter.
    "azure-native:containerservice:AgentPool": { field: "agentPoolName", min: 1, max: 12, pattern: /^[a-z][a-z0-9]*$/, unique: "parent", autoname: "none", source: `${ARM_NAMES}#microsoftcontainerservice` },
    // Azure ML REST API, workspaceName: ^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$
    // (https://learn.microsoft.com/en-us/rest/api/azureml/online-endpoints/create-or-update).
    "azure-native:machinelearningservices:Workspace": { field: "workspaceName", min: 3, max: 33, pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$/, unique: "parent", autoname: "azure-native", source: "https://learn.microsoft.com/en-us/rest/api/azureml/online-endpoints/create-or-update" },
    // Azure ML endpoints: 3-32 characters, start with a letter, letters, digits and hyphens; unique
    // in the region (<name>.<region>.inference.ml.azure.com)
    // (https://learn.microsoft.com/en-us/azure/machine-learning/how-to-manage-quotas#azure-machine-learning-online-endpoints-and-batch-endpoints).
    "azure-native:machinelearningservices:OnlineEndpoint": { field: "endpointName", min: 3, max: 32, pattern: /^[a-zA-Z][a-zA-Z0-9-]*$/, unique: "region", autoname: "azure-native", source: "https://learn.microsoft.com/en-us/azure/machine-learning/how-to-manage-quotas#azure-machine-learning-online-endpoints-and-batch-endpoints" },
    // Same page: deployment names 3-32 characters, start with a letter, letters, digits and hyphens.
    "azure-native:machinelearningservices:OnlineDeployment": { field: "deploymentName", min: 3, max: 32, pattern: /^[a-zA-Z][a-zA-Z0-9-]*$/, unique: "parent", autoname: "azure-native", source: "https://learn.microsoft.com/en-us/azure/machine-learning/how-to-manage-quotas#azure-machine-learning-online-endpoints-and-batch-endpoints" },
    // Azure ML asset names: letters, digits, hyphens, underscores and periods, up to 255
    // (https://learn.microsoft.com/en-us/azure/machine-learning/reference-yaml-environment).
    "azure-native:machinelearningservices:EnvironmentVersion": { field: "name", min: 1, max: 255, pattern: /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/, unique: "parent", autoname: "none", source: "https://learn.microsoft.com/en-us/azure/machine-learning/reference-yaml-environment" },
    // Azure ML REST API, connectionName: ^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$
    // (https://learn.microsoft.com/en-us/rest/api/azureml/workspace-connections/create).
    "azure-native:machinelearningservices:WorkspaceConnection": { field: "connectionName", min: 3, max: 33, pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$/, unique: "parent", autoname: "azure-native", source: "https://learn.microsoft.com/en-us/rest/api/azureml/workspace-connections/create" },
    // ARM_NAMES#microsoftoperationalinsights: workspaces 4-63, alphanumerics and hyphens, start and end with alphanumeric.
    "azure-native:operationalinsights:Workspace": { field: "workspaceName", min: 4, max: 63, pattern: /^[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]$/, unique: "parent", autoname: "azure-native", source: `${ARM_NAMES}#microsoftoperationalinsights` },
    // ARM_NAMES#microsoftinsights: components 1-260, not %&\?/ or control characters, not ending in a space or period.
    "azure-native:applicationinsights:Component": { field: "resourceName", min: 1, max: 260, pattern: /^[^%&\\?/\x00-\x1f]*[^%&\\?/\x00-\x1f .]$/, unique: "parent", autoname: "azure-native", source: `${ARM_NAMES}#microsoftinsights` },
    // ARM_NAMES#microsoftinsights: autoscale settings 1-260, not :<>%&\?/ or control characters.
    "azure-native:monitor:AutoscaleSetting": { field: "autoscaleSettingName", min: 1, max: 260, pattern: /^[^:<>%&\\?/\x00-\x1f]+$/, unique: "parent", autoname: "azure-native", source: `${ARM_NAMES}#microsoftinsights` },
    // ARM_NAMES#microsoftmanagedidentity: 3-128, alphanumerics, hyphens, underscores, start with a letter or number.
    // Federated identity credentials: 3-120 characters, letters, digits, '-' and '_', starting with a
    // letter or digit (https://learn.microsoft.com/en-us/entra/workload-id/workload-identity-federation-create-trust-user-assigned-managed-identity).
    "azure-native:managedidentity:FederatedIdentityCredential": { field: "federatedIdentityCredentialResourceName", min: 3, max: 120, pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/, unique: "parent", autoname: "azure-native", source: "https://learn.microsoft.com/en-us/entra/workload-id/workload-identity-federation-create-trust-user-assigned-managed-identity" },
    "azure-native:managedidentity:UserAssignedIdentity": { field: "resourceName", min: 3, max: 128, pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/, unique: "parent", autoname: "azure-native", source: `${ARM_NAMES}#microsoftmanagedidentity` },
    // ARM_NAMES#microsoftnetwork: virtual networks 2-64, subnets/NSGs/NICs/public IPs 1-80: alphanumerics,
    // underscores, periods, hyphens; start with alphanumeric; end with alphanumeric or underscore.
    "azure-native:network:VirtualNetwork": { field: "virtualNetworkName", min: 2, max: 64, pattern: /^[a-zA-Z0-9]([\w.-]*\w)?$/, unique: "parent", autoname: "azure-native", source: `${ARM_NAMES}#microsoftnetwork` },
    "azure-native:network:Subnet": { field: "subnetName", min: 1, max: 80, pattern: /^[a-zA-Z0-9]([\w.-]*\w)?$/, unique: "parent", autoname: "azure-native", source: `${ARM_NAMES}#microsoftnetwork` },
    "azure-native:network:NetworkSecurityGroup": { field: "networkSecurityGroupName", min: 1, max: 80, pattern: /^[a-zA-Z0-9]([\w.-]*\w)?$/, unique: "parent", autoname: "azure-native", source: `${ARM_NAMES}#microsoftnetwork` },
    "azure-native:network:NetworkInterface": { field: "networkInterfaceName", min: 1, max: 80, pattern: /^[a-zA-Z0-9]([\w.-]*\w)?$/, unique: "parent", autoname: "azure-native", source: `${ARM_NAMES}#microsoftnetwork` },
    "azure-native:network:PublicIPAddress": { field: "publicIpAddressName", min: 1, max: 80, pattern: /^[a-zA-Z0-9]([\w.-]*\w)?$/, unique: "parent", autoname: "azure-native", source: `${ARM_NAMES}#microsoftnetwork` },
    // ARM_NAMES#microsoftcompute: Linux VMs 1-64, none of \/"'[]:|<>+=;,?*@&_ , not starting with
    // an underscore, not ending with a period or hyphen.
    "azure-native:compute:VirtualMachine": { field: "vmName", min: 1, max: 64, pattern: /^[^\\/"'[\]:|<>+=;,?*@&_\s]([^\\/"'[\]:|<>+=;,?*@&_\s]*[^\\/"'[\]:|<>+=;,?*@&_\s.-])?$/, unique: "parent", autoname: "azure-native", source: `${ARM_NAMES}#microsoftcompute` },
    // ARM_NAMES#microsoftinsights: action groups 1-260, not :<>+/&%\?| or control characters, not ending in a space or period.
    "azure-native:monitor:ActionGroup": { field: "actionGroupName", min: 1, max: 260, pattern: /^[^:<>+/&%\\?|\x00-\x1f]*[^:<>+/&%\\?|\x00-\x1f .]$/, unique: "parent", autoname: "azure-native", source: `${ARM_NAMES}#microsoftinsights` },
    // ARM_NAMES#microsoftinsights: metric alerts 1-260, not *#&+:<>?@%{}\/| or control characters, not ending in a space or period.
    "azure-native:monitor:MetricAlert": { field: "ruleName", min: 1, max: 260, pattern: /^[^*#&+:<>?@%{}\\/|\x00-\x1f]*[^*#&+:<>?@%{}\\/|\x00-\x1f .]$/, unique: "parent", autoname: "azure-native", source: `${ARM_NAMES}#microsoftinsights` },
    // ARM_NAMES#microsoftalertsmanagement: Prometheus rule groups 1-260, not <>*%{}&:\?+/#| or control characters, not ending in a space or period.
    "azure-native:alertsmanagement:PrometheusRuleGroup": { field: "ruleGroupName", min: 1, max: 260, pattern: /^[^<>*%{}&:\\?+/#|\x00-\x1f]*[^<>*%{}&:\\?+/#|\x00-\x1f .]$/, unique: "parent", autoname: "azure-native", source: `${ARM_NAMES}#microsoftalertsmanagement` },
    // ARM_NAMES#microsoftconsumption: budgets 1-63 alphanumerics, hyphens and underscores, unique in their subscription or resource group.
    "azure-native:consumption:Budget": { field: "budgetName", min: 1, max: 63, pattern: /^[\w-]+$/, unique: "parent", autoname: "azure-native", source: `${ARM_NAMES}#microsoftconsumption` },
    // Data collection endpoints, rules and rule associations have no published name rule: ARM_NAMES has
    // no row for them and their REST references give no pattern or length. They are held, as the
    // stricter reading, to the Log Analytics workspace rule (ARM_NAMES#microsoftoperationalinsights:
    // 4-63 alphanumerics and hyphens, start and end with alphanumeric), the Azure Monitor store they sit beside.
    "azure-native:monitor:DataCollectionEndpoint": { field: "dataCollectionEndpointName", min: 4, max: 63, pattern: /^[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]$/, unique: "parent", autoname: "azure-native", source: "https://learn.microsoft.com/en-us/rest/api/monitor/data-collection-endpoints/create" },
    "azure-native:monitor:DataCollectionRule": { field: "dataCollectionRuleName", min: 4, max: 63, pattern: /^[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]$/, unique: "parent", autoname: "azure-native", source: "https://learn.microsoft.com/en-us/rest/api/monitor/data-collection-rules/create" },
    // An association is an extension resource: its name is unique per associated resource (here the cluster).
    "azure-native:monitor:DataCollectionRuleAssociation": { field: "associationName", min: 4, max: 63, pattern: /^[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]$/, unique: "parent", autoname: "azure-native", source: "https://learn.microsoft.com/en-us/rest/api/monitor/data-collection-rule-associations/create" },
    // Azure Monitor workspaces (Microsoft.Monitor/accounts): the REST reference's azureMonitorWorkspaceName
    // pattern is ^(?!-)[a-zA-Z0-9-]+[^-]$; no length is published, so the Log Analytics workspace's
    // 4-63 (and an alphanumeric last character) is held, as above.
    "azure-native:monitor:AzureMonitorWorkspace": { field: "azureMonitorWorkspaceName", min: 4, max: 63, pattern: /^[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]$/, unique: "parent", autoname: "azure-native", source: "https://learn.microsoft.com/en-us/rest/api/monitor/azure-monitor-workspaces/create" },
    // Microsoft.Dashboard @ 2025-09-01-preview (the REST spec's name pattern, as Azure/bicep-types-az generated/dashboard/microsoft.dashboard/2025-09-01-preview/types.md prints it): 2-30 characters, a letter first, letters, digits and hyphens, not ending in a hyphen.
    "azure-native:dashboard:Dashboard": { field: "dashboardName", min: 2, max: 30, pattern: /^[a-zA-Z][a-z0-9A-Z-]{0,28}[a-z0-9A-Z]$/, unique: "parent", autoname: "azure-native", source: "https://github.com/Azure/azure-rest-api-specs/tree/main/specification/dashboard (Microsoft.Dashboard 2025-09-01-preview, dashboards)" },
    "azure-native:dashboard:DashboardDefinition": { field: "definitionName", min: 2, max: 30, pattern: /^[a-zA-Z][a-z0-9A-Z-]{0,28}[a-z0-9A-Z]$/, unique: "parent", autoname: "azure-native", source: "https://github.com/Azure/azure-rest-api-specs/tree/main/specification/dashboard (Microsoft.Dashboard 2025-09-01-preview, dashboards/dashboardDefinitions)" },
    // Role assignment names are GUIDs the provider generates (ARM_NAMES#microsoftauthorization).
    "azure-native:authorization:RoleAssignment": { field: "roleAssignmentName", min: 36, max: 36, pattern: GUID, unique: "parent", autoname: "none", source: `${ARM_NAMES}#microsoftauthorization` },
    // Role definition names are GUIDs too, unique in the tenant; the provider generates one when
    // roleDefinitionId is unset (ARM_NAMES#microsoftauthorization). The display name is held below.
    "azure-native:authorization:RoleDefinition": { field: "roleDefinitionId", min: 36, max: 36, pattern: GUID, unique: "global", autoname: "none", source: `${ARM_NAMES}#microsoftauthorization` },
    // ARM_NAMES#microsoftweb: App Service plans (serverfarms) 1-60, alphanumerics and hyphens (and
    // Unicode that maps to Punycode, which the program never uses), unique in the resource group.
    "azure-native:web:AppServicePlan": { field: "name", min: 1, max: 60, pattern: /^[a-zA-Z0-9-]+$/, unique: "parent", autoname: "azure-native", source: `${ARM_NAMES}#microsoftweb` },
    // ARM_NAMES#microsoftweb: sites (web and function apps) 2-60, alphanumerics and hyphens, not
    // starting or ending with a hyphen; global: the app is <name>.azurewebsites.net.
    "azure-native:web:WebApp": { field: "name", min: 2, max: 60, pattern: /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/, unique: "global", autoname: "azure-native", source: `${ARM_NAMES}#microsoftweb` },
};

/** Extra names inside Azure resources: property path -> rule. */
export const AZURE_INNER_NAME_RULES: ReadonlyArray<{ type: string; path: readonly string[]; rule: NameRule }> = [
    // AKS DNS prefix: 1-54 characters, alphanumerics and hyphens, start and end with alphanumeric
    // (https://learn.microsoft.com/en-us/cli/azure/aks#az-aks-create, --dns-name-prefix).
    { type: "azure-native:containerservice:ManagedCluster", path: ["dnsPrefix"], rule: { field: "dnsPrefix", min: 1, max: 54, pattern: /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/, unique: "parent", autoname: "none", source: "https://learn.microsoft.com/en-us/cli/azure/aks#az-aks-create" } },
    // The inline system pool's name: same agent pool rule as above.
    { type: "azure-native:containerservice:ManagedCluster", path: ["agentPoolProfiles", "0", "name"], rule: { ...AZURE_NAME_RULES["azure-native:containerservice:AgentPool"], field: "agentPoolProfiles[0].name" } },
    // Linux host name: 1-64 characters (ARM_NAMES#microsoftcompute, computerName), no periods or underscores.
    { type: "azure-native:compute:VirtualMachine", path: ["osProfile", "computerName"], rule: { field: "osProfile.computerName", min: 1, max: 64, pattern: /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/, unique: "parent", autoname: "none", source: `${ARM_NAMES}#microsoftcompute` } },
    // A custom role's display name: up to 512 letters, digits, spaces and special characters,
    // unique in the Microsoft Entra tenant, so two stacks must not share it (held as global).
    { type: "azure-native:authorization:RoleDefinition", path: ["roleName"], rule: { field: "roleName", min: 1, max: 512, pattern: /^[^\x00-\x1f]+$/, unique: "global", autoname: "none", source: "https://learn.microsoft.com/en-us/azure/role-based-access-control/custom-roles#custom-role-properties" } },
];

/** RFC 1035 label as GCP uses it for most resources (https://cloud.google.com/compute/docs/naming-resources). */
const GCP_RFC1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const GCP_NAMING = "https://cloud.google.com/compute/docs/naming-resources#resource-name-format";
const gcpCompute = (field = "name"): NameRule => ({ field, min: 1, max: 63, pattern: GCP_RFC1035, unique: "parent", autoname: "tfbridge", source: GCP_NAMING });

/** GCP names, by gcp type token (null: the resource has no name of its own). */
export const GCP_NAME_RULES: Readonly<Record<string, NameRule | null>> = {
    "gcp:compute/backendService:BackendService": gcpCompute(),
    "gcp:compute/firewall:Firewall": gcpCompute(),
    "gcp:compute/globalAddress:GlobalAddress": gcpCompute(),
    "gcp:compute/globalForwardingRule:GlobalForwardingRule": gcpCompute(),
    "gcp:compute/healthCheck:HealthCheck": gcpCompute(),
    "gcp:compute/instanceTemplate:InstanceTemplate": gcpCompute(),
    "gcp:compute/managedSslCertificate:ManagedSslCertificate": gcpCompute(),
    "gcp:compute/sSLCertificate:SSLCertificate": gcpCompute(),
    "gcp:compute/network:Network": gcpCompute(),
    "gcp:compute/regionAutoscaler:RegionAutoscaler": gcpCompute(),
    "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager": gcpCompute(),
    "gcp:compute/router:Router": gcpCompute(),
    "gcp:compute/routerNat:RouterNat": gcpCompute(),
    "gcp:compute/securityPolicy:SecurityPolicy": gcpCompute(),
    "gcp:compute/subnetwork:Subnetwork": gcpCompute(),
    "gcp:compute/targetHttpProxy:TargetHttpProxy": gcpCompute(),
    "gcp:compute/targetHttpsProxy:TargetHttpsProxy": gcpCompute(),
    "gcp:compute/uRLMap:URLMap": gcpCompute(),
    // Service account ids: 6-30 characters, lowercase letters, digits and hyphens, start with a
    // letter, not end with a hyphen (https://cloud.google.com/iam/docs/service-accounts-create).
    "gcp:serviceaccount/account:Account": { field: "accountId", min: 6, max: 30, pattern: /^[a-z]([-a-z0-9]*[a-z0-9])$/, unique: "parent", autoname: "none", source: "https://cloud.google.com/iam/docs/service-accounts-create" },
    // Secret ids: up to 255 letters, digits, hyphens and underscores
    // (https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets/create).
    "gcp:secretmanager/secret:Secret": { field: "secretId", min: 1, max: 255, pattern: /^[a-zA-Z0-9_-]+$/, unique: "parent", autoname: "none", source: "https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets/create" },
    "gcp:secretmanager/secretVersion:SecretVersion": null,
    "gcp:secretmanager/secretIamMember:SecretIamMember": null,
    "gcp:projects/iAMMember:IAMMember": null,
    "gcp:serviceaccount/iAMMember:IAMMember": null,
    "gcp:projects/service:Service": null,
    // A consumer quota override's name is generated by the server (Service Usage REST reference).
    "gcp:serviceusage/consumerQuotaOverride:ConsumerQuotaOverride": null,
    // GKE cluster names: up to 40 lowercase letters, digits and hyphens, starting with a letter and
    // ending with a letter or digit (container API, Cluster.name:
    // https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters).
    "gcp:container/cluster:Cluster": { field: "name", min: 1, max: 40, pattern: GCP_RFC1035, unique: "parent", autoname: "tfbridge", source: "https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters" },
    // The REST reference states no rule for NodePool.name; pools are held to the cluster's, the stricter reading.
    "gcp:container/nodePool:NodePool": { field: "name", min: 1, max: 40, pattern: GCP_RFC1035, unique: "parent", autoname: "tfbridge", source: "https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters.nodePools" },
    "gcp:dns/dnsManagedZoneIamMember:DnsManagedZoneIamMember": null,
    // Cloud Monitoring alert policies, notification channels and dashboards, and billing budgets, get
    // server-assigned ids (projects/<p>/alertPolicies/<id>, .../notificationChannels/<id>,
    // .../dashboards/<id>, billingAccounts/<a>/budgets/<id>); the program sets only a displayName
    // (https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.alertPolicies/create,
    // https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.notificationChannels/create,
    // https://cloud.google.com/monitoring/api/ref_v3/rest/v1/projects.dashboards/create,
    // https://cloud.google.com/billing/docs/reference/budget/rest/v1/billingAccounts.budgets/create).
    "gcp:monitoring/alertPolicy:AlertPolicy": null,
    "gcp:monitoring/notificationChannel:NotificationChannel": null,
    "gcp:monitoring/dashboard:Dashboard": null,
    "gcp:billing/budget:Budget": null,
    // Cloud Run functions: a letter, then letters, digits, hyphens or underscores, ending in a
    // letter or digit, at most 63 (https://cloud.google.com/functions/docs/deploying, and gcloud's
    // own check). The function runs as a Cloud Run service of the same name (lowercased, '_' as
    // '-') and Cloud Run's v2 API refuses a service id of 50 or more characters
    // (CreateServiceRequest.service_id, "must be less than 50 characters"), so the stricter 49 is held.
    "gcp:cloudfunctionsv2/function:Function": { field: "name", min: 1, max: 49, pattern: /^[A-Za-z]([-_A-Za-z0-9]*[A-Za-z0-9])?$/, unique: "parent", autoname: "tfbridge", source: "https://cloud.google.com/functions/docs/deploying" },
    // Invoker, publisher and the build account's reader grants are IAM bindings on a service, topic
    // or bucket the stack already names: they have no name of their own.
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": null,
    "gcp:pubsub/topicIAMMember:TopicIAMMember": null,
    "gcp:storage/bucketIAMMember:BucketIAMMember": null,
    // Custom role ids: 3-64 letters, digits, underscores and periods, unique in the project
    // (IAM API, CreateRoleRequest.roleId). The provider's autoname (logical name, hyphen, suffix)
    // could never fit, so the program must set it: an unset roleId is reported below.
    "gcp:projects/iAMCustomRole:IAMCustomRole": { field: "roleId", min: 3, max: 64, pattern: /^[a-zA-Z0-9_.]+$/, unique: "parent", autoname: "tfbridge", source: "https://cloud.google.com/iam/docs/reference/rest/v1/projects.roles/create" },
    // Topic ids: 3-255, a letter first, then letters, digits and - _ . ~ + %, not starting with
    // "goog" (https://cloud.google.com/pubsub/docs/admin#resource_names).
    "gcp:pubsub/topic:Topic": { field: "name", min: 3, max: 255, pattern: /^(?!goog)[a-zA-Z][-_.~+%a-zA-Z0-9]*$/, unique: "parent", autoname: "tfbridge", source: "https://cloud.google.com/pubsub/docs/admin#resource_names" },
    // Bucket names: 3-63 lowercase letters, digits, hyphens and underscores, starting and ending with
    // a letter or digit, not starting with "goog", not containing "google" or a close misspelling;
    // one namespace shared by every Cloud Storage user, so global. Dotted names (up to 222) need
    // domain verification and are held out.
    "gcp:storage/bucket:Bucket": { field: "name", min: 3, max: 63, pattern: /^(?!goog)(?!.*(google|g00gle|go0gle|g0ogle))[a-z0-9][-_a-z0-9]*[a-z0-9]$/, unique: "global", autoname: "tfbridge", source: "https://cloud.google.com/storage/docs/buckets#naming" },
    // Object names: 1-1024 bytes of UTF-8, no carriage return or line feed, not "." or "..", not
    // under ".well-known/acme-challenge/" (https://cloud.google.com/storage/docs/objects#naming).
    // Length in characters equals bytes for the ASCII names the program sets.
    "gcp:storage/bucketObject:BucketObject": { field: "name", min: 1, max: 1024, pattern: /^(?!\.{1,2}$)(?!\.well-known\/acme-challenge\/)[^\r\n]+$/, unique: "parent", autoname: "tfbridge", source: "https://cloud.google.com/storage/docs/objects#naming" },
};

/** Extra GCP names inside resources. */
export const GCP_INNER_NAME_RULES: ReadonlyArray<{ type: string; path: readonly string[]; rule: NameRule }> = [
    // A MIG appends a 4-character suffix to baseInstanceName: 1-58 characters, RFC 1035
    // (https://cloud.google.com/compute/docs/reference/rest/v1/regionInstanceGroupManagers).
    { type: "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager", path: ["baseInstanceName"], rule: { field: "baseInstanceName", min: 1, max: 58, pattern: GCP_RFC1035, unique: "parent", autoname: "none", source: "https://cloud.google.com/compute/docs/reference/rest/v1/regionInstanceGroupManagers" } },
];

const IAM_ROLE = "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html";
const ELB = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html";
const ELB_TG = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html";

/** AWS names, by aws type token (null: no name of its own, or only tags). */
export const AWS_NAME_RULES: Readonly<Record<string, NameRule | null>> = {
    // IAM role names: up to 64 characters of [\w+=,.@-] (IAM_ROLE).
    // A service-linked role's name is AWS's (AWSServiceRoleForEC2Spot); the program names only the
    // service (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateServiceLinkedRole.html).
    // One per account: `spotServiceLinkedRole: existing` is how a second stack in the account avoids
    // a duplicate, so the check here is the service name's shape, per stack.
    "aws:iam/serviceLinkedRole:ServiceLinkedRole": { field: "awsServiceName", min: 1, max: 128, pattern: /^[a-z0-9.-]+\.amazonaws\.com$/, unique: "parent", autoname: "none", source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateServiceLinkedRole.html" },
    "aws:iam/role:Role": { field: "name", min: 1, max: 64, pattern: /^[\w+=,.@-]+$/, unique: "global", autoname: "tfbridge", source: IAM_ROLE },
    // Inline policy names: up to 128 characters of [\w+=,.@-] (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html).
    "aws:iam/rolePolicy:RolePolicy": { field: "name", min: 1, max: 128, pattern: /^[\w+=,.@-]+$/, unique: "parent", autoname: "tfbridge", source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html" },
    // Instance profiles: up to 128 characters of [\w+=,.@-] (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateInstanceProfile.html).
    "aws:iam/instanceProfile:InstanceProfile": { field: "name", min: 1, max: 128, pattern: /^[\w+=,.@-]+$/, unique: "global", autoname: "tfbridge", source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateInstanceProfile.html" },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": null,
    // Load balancers: up to 32 alphanumerics and hyphens, not starting or ending with a hyphen, not starting with "internal-" (ELB).
    "aws:lb/loadBalancer:LoadBalancer": { field: "name", min: 1, max: 32, pattern: /^(?!internal-)[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/, unique: "region", autoname: "tfbridge", source: ELB },
    // Target groups: up to 32 alphanumerics and hyphens, not starting or ending with a hyphen (ELB_TG).
    "aws:lb/targetGroup:TargetGroup": { field: "name", min: 1, max: 32, pattern: /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/, unique: "region", autoname: "tfbridge", source: ELB_TG },
    "aws:lb/listener:Listener": null,
    // EKS clusters: 1-100 characters, start with a letter or digit, then letters, digits, hyphens, underscores
    // (https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html).
    "aws:eks/cluster:Cluster": { field: "name", min: 1, max: 100, pattern: /^[0-9A-Za-z][A-Za-z0-9_-]*$/, unique: "region", autoname: "tfbridge", source: "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html" },
    // Node groups: 1-63 characters, start with a letter or digit, then letters, digits, hyphens, underscores
    // (https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html).
    "aws:eks/nodeGroup:NodeGroup": { field: "nodeGroupName", min: 1, max: 63, pattern: /^[0-9A-Za-z][A-Za-z0-9_-]*$/, unique: "parent", autoname: "tfbridge", source: "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html" },
    "aws:eks/accessEntry:AccessEntry": null,
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": null,
    "aws:eks/addon:Addon": null,
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": null,
    // Security group names: up to 255 characters, not starting with sg-
    // (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html).
    "aws:ec2/securityGroup:SecurityGroup": { field: "name", min: 1, max: 255, pattern: /^(?!sg-)[\x20-\x7e]+$/, unique: "parent", autoname: "tfbridge", source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html" },
    // Launch templates: 3-128 characters of [a-zA-Z0-9().\-/_]
    // (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html).
    "aws:ec2/launchTemplate:LaunchTemplate": { field: "name", min: 3, max: 128, pattern: /^[a-zA-Z0-9().\-/_]+$/, unique: "region", autoname: "tfbridge", source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html" },
    "aws:ec2/vpc:Vpc": null,
    "aws:ec2/subnet:Subnet": null,
    "aws:ec2/eip:Eip": null,
    "aws:ec2/internetGateway:InternetGateway": null,
    "aws:ec2/natGateway:NatGateway": null,
    "aws:ec2/routeTable:RouteTable": null,
    "aws:ec2/routeTableAssociation:RouteTableAssociation": null,
    "aws:ec2/tag:Tag": null,
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": null,
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": null,
    "aws:autoscaling/attachment:Attachment": null,
    "aws:kms/key:Key": null,
    "aws:kms/alias:Alias": null,
    "aws:acm/certificate:Certificate": null,
    // SQS queues: up to 80 alphanumerics, hyphens and underscores
    // (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html).
    "aws:sqs/queue:Queue": { field: "name", min: 1, max: 80, pattern: /^[a-zA-Z0-9_-]+$/, unique: "region", autoname: "tfbridge", source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html" },
    "aws:sqs/queuePolicy:QueuePolicy": null,
    // EventBridge rules: up to 64 characters of [.\-_A-Za-z0-9]
    // (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html).
    "aws:cloudwatch/eventRule:EventRule": { field: "name", min: 1, max: 64, pattern: /^[.\-_A-Za-z0-9]+$/, unique: "region", autoname: "tfbridge", source: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html" },
    "aws:cloudwatch/eventTarget:EventTarget": null,
    // Log groups: 1-512 characters of [.\-_/#A-Za-z0-9]
    // (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html).
    "aws:cloudwatch/logGroup:LogGroup": { field: "name", min: 1, max: 512, pattern: /^[.\-_/#A-Za-z0-9]+$/, unique: "region", autoname: "tfbridge", source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html" },
    // SNS topics: 1-256 ASCII letters, digits, underscores and hyphens; a FIFO topic ends in .fifo
    // (https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html).
    "aws:sns/topic:Topic": { field: "name", min: 1, max: 256, pattern: /^[a-zA-Z0-9_-]+(\.fifo)?$/, unique: "region", autoname: "tfbridge", source: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html" },
    "aws:sns/topicPolicy:TopicPolicy": null,
    // A subscription's ARN is assigned by SNS (https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html).
    "aws:sns/topicSubscription:TopicSubscription": null,
    // Budgets: BudgetName 1-100 characters, no ':' or '\\', no "/action/" substring; unique in the account
    // (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Budget.html).
    "aws:budgets/budget:Budget": { field: "name", min: 1, max: 100, pattern: /^(?![^:\\]*\/action\/)[^:\\]+$/, unique: "parent", autoname: "tfbridge", source: "https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Budget.html" },
    // ElastiCache replication groups: 1-40 characters, start with a letter, letters, digits and
    // hyphens, no two consecutive hyphens, not ending with a hyphen
    // (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html).
    "aws:elasticache/replicationGroup:ReplicationGroup": { field: "replicationGroupId", min: 1, max: 40, pattern: /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]*[a-zA-Z0-9]$/, unique: "region", autoname: "tfbridge", source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html" },
    "aws:elasticache/subnetGroup:SubnetGroup": { field: "name", min: 1, max: 255, pattern: /^[a-z0-9-]+$/, unique: "region", autoname: "tfbridge", source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateCacheSubnetGroup.html" },
    // Lambda functions: a bare name is 1-64 letters, digits, hyphens and underscores (CreateFunction,
    // FunctionName: "If you specify only the function name, it is limited to 64 characters").
    "aws:lambda/function:Function": { field: "name", min: 1, max: 64, pattern: /^[a-zA-Z0-9_-]+$/, unique: "region", autoname: "tfbridge", source: "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html" },
    // Permission statement ids: 1-100 of [a-zA-Z0-9-_], unique in the function's policy (AddPermission).
    // Unset, the provider generates one; its autonamed form is what is held.
    "aws:lambda/permission:Permission": { field: "statementId", min: 1, max: 100, pattern: /^[a-zA-Z0-9_-]+$/, unique: "parent", autoname: "tfbridge", source: "https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html" },
    // Amazon Managed Service for Prometheus: a workspace's alias is 1-100 characters and need not be
    // unique (CreateWorkspace); the workspace's id is AWS's.
    "aws:amp/workspace:Workspace": { field: "alias", min: 1, max: 100, pattern: /^\S(.*\S)?$/, unique: "parent", autoname: "none", source: "https://docs.aws.amazon.com/prometheus/latest/APIReference/API_CreateWorkspace.html" },
    // A scraper's alias: 1-100 of [0-9A-Za-z][-.0-9A-Z_a-z]* (CreateScraper).
    "aws:amp/scraper:Scraper": { field: "alias", min: 1, max: 100, pattern: /^[0-9A-Za-z][-.0-9A-Z_a-z]*$/, unique: "parent", autoname: "none", source: "https://docs.aws.amazon.com/prometheus/latest/APIReference/API_CreateScraper.html" },
    // Rule groups namespaces: [0-9A-Za-z][-.0-9A-Z_a-z]*, unique in the workspace; the reference has
    // given 64 and, later, 128 as the maximum: the stricter 64 is held (CreateRuleGroupsNamespace).
    "aws:amp/ruleGroupNamespace:RuleGroupNamespace": { field: "name", min: 1, max: 64, pattern: /^[0-9A-Za-z][-.0-9A-Z_a-z]*$/, unique: "parent", autoname: "tfbridge", source: "https://docs.aws.amazon.com/prometheus/latest/APIReference/API_CreateRuleGroupsNamespace.html" },
    // One alert manager definition per workspace, with no name of its own (CreateAlertManagerDefinition).
    "aws:amp/alertManagerDefinition:AlertManagerDefinition": null,
    // Amazon Managed Grafana workspaces: 1-255 of [a-zA-Z0-9-._~] (CreateWorkspace, workspaceName).
    "aws:grafana/workspace:Workspace": { field: "name", min: 1, max: 255, pattern: /^[a-zA-Z0-9-._~]+$/, unique: "parent", autoname: "tfbridge", source: "https://docs.aws.amazon.com/grafana/latest/APIReference/API_CreateWorkspace.html" },
    // Service accounts and their tokens: 1-128 characters, unique in the workspace (and in the
    // service account) (CreateWorkspaceServiceAccount, CreateWorkspaceServiceAccountToken).
    "aws:grafana/workspaceServiceAccount:WorkspaceServiceAccount": { field: "name", min: 1, max: 128, pattern: /^[^\x00-\x1f]+$/, unique: "parent", autoname: "none", source: "https://docs.aws.amazon.com/grafana/latest/APIReference/API_CreateWorkspaceServiceAccount.html" },
    "aws:grafana/workspaceServiceAccountToken:WorkspaceServiceAccountToken": { field: "name", min: 1, max: 128, pattern: /^[^\x00-\x1f]+$/, unique: "parent", autoname: "none", source: "https://docs.aws.amazon.com/grafana/latest/APIReference/API_CreateWorkspaceServiceAccountToken.html" },
};

/**
 * A Grafana uid (dashboards, data sources): at most 40 characters (Dashboard HTTP API: "The uid can
 * have a maximum length of 40 characters"), of letters, digits, '-' and '_' (Grafana's short-uid
 * check, util.IsValidShortUID). Unique in the Grafana organization: here one per stack's workspace.
 */
const GRAFANA_UID: NameRule = { field: "uid", min: 1, max: 40, pattern: /^[a-zA-Z0-9_-]+$/, unique: "parent", autoname: "none", source: "https://grafana.com/docs/grafana/latest/developers/http_api/dashboard/" };

/** A field of a JSON document held in a string input (a dashboard's configJson), or undefined. */
function jsonField(input: string, field: string): (inputs: Record<string, unknown>) => unknown {
    return (inputs) => {
        const doc = inputs[input];
        if (typeof doc !== "string") return undefined;
        try {
            return (JSON.parse(doc) as Record<string, unknown>)[field];
        } catch {
            return `(${input} is not JSON)`;
        }
    };
}

/** Grafana objects (the Grafana provider), by type token: each is named by its uid. */
export const GRAFANA_NAME_RULES: Readonly<Record<string, NameRule | null>> = {
    "grafana:oss/dataSource:DataSource": GRAFANA_UID,
    // A dashboard's uid is a field of its JSON model; unset, Grafana generates one.
    "grafana:oss/dashboard:Dashboard": { ...GRAFANA_UID, field: "configJson.uid", read: jsonField("configJson", "uid") },
};

const K8S_NAMES = "https://kubernetes.io/docs/concepts/overview/working-with-objects/names/";
/** DNS-1123 label (namespaces) and RFC 1035 label (services), 63 characters; other objects DNS-1123 subdomains, 253. */
const K8S_LABEL: NameRule = { field: "metadata.name", min: 1, max: 63, pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, unique: "parent", autoname: "kubernetes", source: K8S_NAMES };
const K8S_SUBDOMAIN: NameRule = { field: "metadata.name", min: 1, max: 253, pattern: /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, unique: "parent", autoname: "kubernetes", source: K8S_NAMES };
/**
 * RBAC objects (Roles, ClusterRoles and their bindings) need only be valid path segment names: not
 * "." or "..", no '/' or '%' (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#api-overview),
 * which is why upstream manifests name bindings like "custom-metrics:system:auth-delegator". The
 * object name's 253 is kept.
 */
const K8S_PATH_SEGMENT: NameRule = { field: "metadata.name", min: 1, max: 253, pattern: /^(?!\.{1,2}$)[^/%]+$/, unique: "parent", autoname: "kubernetes", source: "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#api-overview" };
const K8S_RBAC_TYPES: readonly string[] = ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"].map((kind) => `kubernetes:rbac.authorization.k8s.io/v1:${kind}`);

/** The rule for a Kubernetes object's metadata.name, or for a Helm release's name. */
export function kubernetesNameRule(type: string): NameRule {
    if (type === "kubernetes:core/v1:Namespace") return K8S_LABEL;
    if (type === "kubernetes:core/v1:Service") return { ...K8S_LABEL, pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/ };
    // Helm refuses release names over 53 characters (https://helm.sh/docs/chart_template_guide/getting_started/).
    if (type === "kubernetes:helm.sh/v3:Release") return { ...K8S_LABEL, field: "name", max: 53, source: "https://helm.sh/docs/chart_template_guide/getting_started/" };
    if (K8S_RBAC_TYPES.includes(type)) return K8S_PATH_SEGMENT;
    return K8S_SUBDOMAIN;
}

/** Types with no cloud-side name: Pulumi-only resources. */
export const UNNAMED_PREFIXES = ["command:", "random:", "pulumi:providers:", "llm-serving:"] as const;

/** A planned resource as the names check reads it. */
export interface NamedResource {
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    readonly inputs: Record<string, unknown>;
}

function at(value: unknown, path: readonly string[]): unknown {
    let cur = value;
    for (const key of path) cur = cur !== null && typeof cur === "object" ? (cur as Record<string, unknown>)[key] : undefined;
    return cur;
}

/** The rule for a resource type: a NameRule, null (no name of its own), or undefined (no rule known). */
export function ruleFor(type: string): NameRule | null | undefined {
    if (UNNAMED_PREFIXES.some((p) => type.startsWith(p))) return null;
    if (type.startsWith("azure-native:")) return AZURE_NAME_RULES[type];
    if (type.startsWith("gcp:")) return GCP_NAME_RULES[type];
    if (type.startsWith("aws:")) return AWS_NAME_RULES[type];
    if (type.startsWith("kubernetes:")) return kubernetesNameRule(type);
    if (type.startsWith("grafana:")) return GRAFANA_NAME_RULES[type];
    return undefined;
}

/**
 * Every naming problem in a set of plans: names (set or autonamed) that break their type's rule,
 * types with no known rule, and a globally unique name shared by two different stacks (it could
 * only be created once).
 */
export function checkNames(plans: ReadonlyArray<{ label: string; stack: string; resources: readonly NamedResource[] }>): { problems: string[]; checked: number } {
    const problems: string[] = [];
    let checked = 0;
    const globalNames = new Map<string, Set<string>>();
    for (const plan of plans) {
        for (const r of plan.resources) {
            if (!r.custom && !r.type.startsWith("kubernetes:helm.sh/")) continue;
            const rule = ruleFor(r.type);
            if (rule === null) continue;
            if (rule === undefined) {
                problems.push(`${plan.label}: ${r.type} ${r.name}: no naming rule for this type (add one with its source)`);
                continue;
            }
            const inner = [...AZURE_INNER_NAME_RULES, ...GCP_INNER_NAME_RULES].filter((x) => x.type === r.type);
            const checks: Array<{ value: unknown; rule: NameRule }> = [
                { value: rule.read ? rule.read(r.inputs) : rule.field === "metadata.name" ? at(r.inputs, ["metadata", "name"]) : r.inputs[rule.field], rule },
                ...inner.map((x) => ({ value: at(r.inputs, x.path), rule: x.rule })),
            ];
            for (const { value, rule: ruleHere } of checks) {
                const set = typeof value === "string";
                const name = set ? (value as string) : value === undefined && ruleHere === rule ? autonamed(r.name, rule.autoname) : undefined;
                if (name === undefined) continue;
                checked++;
                for (const p of nameProblems(name, ruleHere)) {
                    problems.push(`${plan.label}: ${r.type} ${r.name}: ${ruleHere.field} ${set ? "" : "(autonamed) "}"${name}": ${p} (${ruleHere.source})`);
                }
                if (set && ruleHere.unique === "global") {
                    const key = `${r.type} ${name.toLowerCase()}`;
                    globalNames.set(key, (globalNames.get(key) ?? new Set()).add(plan.stack));
                }
            }
        }
    }
    for (const [key, stacks] of globalNames) {
        if (stacks.size > 1) problems.push(`${key}: the same globally unique name in stacks ${[...stacks].join(", ")}: only one of them could create it`);
    }
    return { problems, checked };
}
