// Source maps uploaded per project and release, used to symbolicate minified stack traces.
import type { Operation } from "../../lib/operation.ts";
import { deleteSourceMap } from "./delete-source-map.ts";
import { listSourceMaps } from "./list-source-maps.ts";
import { uploadSourceMap } from "./upload-source-map.ts";

export const errorSourceMapsOperations: Operation[] = [uploadSourceMap, listSourceMaps, deleteSourceMap];
