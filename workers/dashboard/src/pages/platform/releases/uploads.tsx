// Uploading a release's files one after the other, with a progress bar per file and overall.
import { useCallback, useEffect, useRef, useState } from "react";
import { uploadReleaseFile } from "../../../lib/upload.ts";
import { formatBytes } from "./release-summary.tsx";

export interface UploadJob {
  /** The declared name. */
  name: string;
  blob: Blob;
}

interface UploadItem {
  name: string;
  size: number;
  sent: number;
  state: "waiting" | "uploading" | "stored" | "failed";
}

const STATE_LABELS: Record<UploadItem["state"], string> = {
  waiting: "Waiting",
  uploading: "Uploading",
  stored: "Stored, sha512 verified",
  failed: "Failed",
};

/** Runs uploads in order and keeps their progress; leaving the page stops them. */
export function useUploads() {
  const [items, setItems] = useState<UploadItem[]>([]);
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);

  const run = useCallback(async (releaseId: string, jobs: readonly UploadJob[]) => {
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    setItems(jobs.map((job) => ({ name: job.name, size: job.blob.size, sent: 0, state: "waiting" })));
    const update = (index: number, change: Partial<UploadItem>) =>
      setItems((previous) => previous.map((item, at) => (at === index ? { ...item, ...change } : item)));
    for (const [index, job] of jobs.entries()) {
      update(index, { state: "uploading" });
      try {
        await uploadReleaseFile({ releaseId, fileName: job.name }, job.blob, {
          signal: current.signal,
          onProgress: (sent) => update(index, { sent }),
        });
      } catch (error) {
        update(index, { state: "failed" });
        throw error;
      }
      update(index, { state: "stored", sent: job.blob.size });
    }
  }, []);

  return { items, run };
}

export function UploadProgress({ items }: { items: readonly UploadItem[] }) {
  if (items.length === 0) return null;
  const total = items.reduce((sum, item) => sum + item.size, 0);
  const sent = items.reduce((sum, item) => sum + item.sent, 0);
  const stored = items.filter((item) => item.state === "stored").length;
  return (
    <div className="release-uploads">
      {/* Announced per file, not per progress event. */}
      <p role="status">
        {stored} of {items.length} files uploaded
      </p>
      <div className="release-upload-overall">
        <progress aria-label="All files" value={sent} max={Math.max(1, total)} />
        <span className="muted small">
          {formatBytes(sent)} of {formatBytes(total)}
        </span>
      </div>
      <ul className="release-upload-list">
        {items.map((item) => (
          <li key={item.name} className={`release-upload release-upload-${item.state}`}>
            <span className="mono release-upload-name">{item.name}</span>
            <progress aria-label={item.name} value={item.sent} max={Math.max(1, item.size)} />
            <span className="small">
              {STATE_LABELS[item.state]}
              {item.state === "uploading" && ` · ${Math.floor((item.sent / Math.max(1, item.size)) * 100)} %`}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
