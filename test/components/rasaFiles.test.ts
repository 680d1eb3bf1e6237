import { strict as assert } from "node:assert";
import { rasaCredentialsYml, rasaEndpointsYml, rasaFileProblems } from "../../components/rasa/files";

describe("Rasa files (components/rasa/files.ts) against Rasa's documented keys", () => {
    it("endpoints.yml names only the action server, at its /webhook", () => {
        const text = rasaEndpointsYml("rasa-actions.llm-serving.svc.cluster.local");
        assert.equal(text, "action_endpoint:\n  url: http://rasa-actions.llm-serving.svc.cluster.local:5055/webhook\n");
        assert.deepEqual(rasaFileProblems("endpoints.yml", text), []);
    });

    it("credentials.yml enables the REST channel with no settings", () => {
        const text = rasaCredentialsYml();
        assert.equal(text, "rest: null\n");
        assert.deepEqual(rasaFileProblems("credentials.yml", text), []);
    });

    it("negative controls: an undocumented section, key, channel or REST setting is reported", () => {
        assert.deepEqual(rasaFileProblems("endpoints.yml", "action_endpoints:\n  url: http://a:5055/webhook\n"), ["endpoints.yml: unknown section action_endpoints"]);
        assert.deepEqual(rasaFileProblems("endpoints.yml", "action_endpoint:\n  uri: http://a:5055/webhook\n"), [
            "endpoints.yml: action_endpoint.uri is not a documented key",
            "endpoints.yml: action_endpoint.url must be http(s)://<host>:<port>/webhook",
        ]);
        assert.deepEqual(rasaFileProblems("credentials.yml", "rest:\n  token: abc\nrestful: null\n"), ["credentials.yml: rest takes no settings", "credentials.yml: unknown channel restful"]);
    });
});
