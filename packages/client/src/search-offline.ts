// Offline search for the field app: its synced jobs searched on the device by the API's rules (the
// same terms, typo budget, prefix on the last term, title over tags over body), each job read the
// way the server indexes a project. Imports only the contracts' zod-free text rules, so an app that
// bundles this gets no schemas.
import type { OfflineSearchHit, OfflineSearchRecord, Project } from "@nexus/contracts";
import { searchOffline as searchRecords } from "@nexus/contracts/search-text";

export type { OfflineSearchHit, OfflineSearchRecord };

/** A job as the search index reads a project; `job` is the synced row itself. */
export interface JobSearchRecord extends OfflineSearchRecord {
  job: Project;
}

/**
 * What the server indexes of a project (migration 0009's search_source_project): `#number title`
 * as the title, the client's name, email and address as the body, stage and status as tags.
 */
export function jobSearchRecord(job: Project): JobSearchRecord {
  const address = Object.values(job.client.address ?? {}).filter((part) => typeof part === "string");
  return {
    id: job.id,
    title: `#${job.number} ${job.title}`,
    body: [job.client.name, job.client.email ?? "", ...address].join(" "),
    tags: `${job.stage} ${job.status}`,
    job,
  };
}

/**
 * Searches records on the device by the API's rules: every term must match a word (exactly, as a
 * prefix for the last term, or within its typo budget: 1 typo from 5 characters, 2 from 9, none up
 * to 4); best first, at most `limit`. Any text is safe: only its letters and digits are searched.
 */
export function searchOffline<T extends OfflineSearchRecord>(
  records: readonly T[],
  query: string,
  limit = 20,
): OfflineSearchHit<T>[] {
  return searchRecords(records, query, limit);
}

/** Searches the synced jobs (e.g. the sync store's `view` rows) offline; best first, at most `limit`. */
export function searchJobs(
  jobs: readonly Project[],
  query: string,
  limit = 20,
): OfflineSearchHit<JobSearchRecord>[] {
  return searchOffline(jobs.map(jobSearchRecord), query, limit);
}
