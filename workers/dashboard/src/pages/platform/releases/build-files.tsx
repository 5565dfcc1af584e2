// The file picker for a build: electron-builder's output (installers, blockmaps and the latest*.yml
// channel files that describe them). Channel files are read here, in the browser.
import { type ChangeEvent, useId, useState } from "react";
import { Field } from "../../../components/field.tsx";
import { type ChannelFileInfo, isChannelFileName, readChannelFile } from "../../../lib/upload-plan.ts";

export interface PickedBuild {
  files: File[];
  channelFiles: ChannelFileInfo[];
  /** Channel files that could not be read. */
  problems: string[];
}

async function readBuild(files: File[]): Promise<PickedBuild> {
  const channelFiles: ChannelFileInfo[] = [];
  const problems: string[] = [];
  for (const file of files.filter((candidate) => isChannelFileName(candidate.name))) {
    try {
      channelFiles.push(readChannelFile(file.name, await file.text()));
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  return { files, channelFiles, problems };
}

export function BuildFilesInput({
  label,
  hint,
  onPicked,
}: {
  label: string;
  hint: string;
  onPicked: (build: PickedBuild) => void;
}) {
  const [reading, setReading] = useState(false);
  const hintId = useId();
  const change = async (event: ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.target.files ?? [])];
    setReading(true);
    try {
      onPicked(await readBuild(files));
    } finally {
      setReading(false);
    }
  };
  return (
    <Field label={label}>
      {(id) => (
        <>
          <input id={id} type="file" multiple aria-describedby={hintId} onChange={change} />
          <span id={hintId} className="muted small">
            {reading ? "Reading the channel files…" : hint}
          </span>
        </>
      )}
    </Field>
  );
}
