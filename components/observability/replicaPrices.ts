/**
 * On-demand hourly price of each Azure VM size a replica runs on, per location: the figures of
 * the pack's price catalog (policies/cost/catalog.data.json, Azure retail prices of 2025-01-01),
 * repeated here because the program reads the pack only through policies/contract/.
 * test/components/observability/azureDashboard.test.ts checks every figure against the catalog and
 * that every size and location the Azure configs admit has one. The dashboards' cost-rate panel
 * multiplies it by the replicas scraped.
 */
export const AZURE_REPLICA_HOURLY_USD: Readonly<Record<string, Readonly<Record<string, number>>>> = {
    eastus: {
        Standard_NC4as_T4_v3: 0.526,
        Standard_NC8as_T4_v3: 0.752,
        Standard_NC6s_v3: 3.06,
        Standard_NC12s_v3: 6.12,
        Standard_NC24s_v3: 12.24,
        Standard_NC24ads_A100_v4: 3.673,
        Standard_NC48ads_A100_v4: 7.346,
        Standard_NC40ads_H100_v5: 6.98,
        Standard_D4s_v5: 0.192,
        Standard_D8s_v5: 0.384,
        Standard_D32s_v5: 1.536,
    },
    westus2: {
        Standard_NC4as_T4_v3: 0.526,
    },
};
