// Types `exports` from "cloudflare:workers" (tests call the worker through it).
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("./index.ts");
  }
}
