// The version `nexus --version` prints: the package's own, read at build time by esbuild (the JSON
// is bundled) and at run time by Node when the CLI runs from source.
import manifest from "../package.json" with { type: "json" };

export const CLI_VERSION: string = manifest.version;
