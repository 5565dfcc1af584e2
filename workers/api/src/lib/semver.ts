// Version order, shared with workers/consumers (error regressions) through @nexus/contracts.
export { compareVersions } from "@nexus/contracts";
