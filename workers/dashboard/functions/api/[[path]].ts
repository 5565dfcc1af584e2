// Every /api/* request of the dashboard goes to the API worker (service binding `API`).
import { forwardToApi } from "../../server/forward-to-api.ts";

interface Env {
  API: Fetcher;
}

export const onRequest: PagesFunction<Env> = ({ request, env }) => forwardToApi(request, env.API);
