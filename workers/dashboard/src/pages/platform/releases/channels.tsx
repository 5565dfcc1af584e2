// Update channels: the list, and adding one. A channel's subscribers also receive its parent's
// releases (beta → stable), which is why a new channel names its parent.
import { routes } from "@nexus/contracts";
import { type FormEvent, useCallback, useState } from "react";
import { Field, TextField } from "../../../components/field.tsx";
import { ErrorState, Loaded } from "../../../components/states.tsx";
import { callApi } from "../../../lib/api.ts";
import { useChannels } from "../../../lib/channels.ts";
import { formatDateTime } from "../../../lib/format.ts";
import { useAction } from "../../../lib/use-action.ts";

/** The select's value for "no parent": not a valid channel name, so it cannot clash with one. */
const NO_PARENT = "-";

export function ChannelsPanel() {
  const channels = useChannels();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [parent, setParent] = useState("stable");
  const [created, setCreated] = useState<string>();
  const { reload } = channels;
  const create = useAction(
    useCallback(async () => {
      const answer = await callApi(routes.createChannel, {
        body: {
          name,
          description: description.trim() || undefined,
          parent: parent === NO_PARENT ? null : parent,
        },
      });
      setName("");
      setDescription("");
      setCreated(answer.channel.name);
      reload();
    }, [name, description, parent, reload]),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCreated(undefined);
    void create.run();
  };

  return (
    <section className="panel" aria-labelledby="channels-heading">
      <h2 id="channels-heading">Channels</h2>
      <Loaded state={channels} loading="Loading channels…">
        {(data) => (
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">Update channels</caption>
              <thead>
                <tr>
                  <th scope="col">Channel</th>
                  <th scope="col">Also receives</th>
                  <th scope="col">Description</th>
                  <th scope="col" className="wide-only">
                    Created
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.channels.map((channel) => (
                  <tr key={channel.name}>
                    <th scope="row" className="mono">
                      {channel.name}
                    </th>
                    <td>{channel.parent ?? <span className="muted">—</span>}</td>
                    <td className="updates-wrap">
                      {channel.description ?? <span className="muted">—</span>}
                    </td>
                    <td className="wide-only">{formatDateTime(channel.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>

      <form className="updates-inline-form" onSubmit={submit} aria-labelledby="new-channel-heading">
        <h3 id="new-channel-heading">Add a channel</h3>
        <div className="filters">
          <TextField
            label="Name"
            value={name}
            required
            maxLength={32}
            pattern="[a-z][a-z0-9_]*"
            title="A lower-case word: letters, digits and underscores, starting with a letter"
            onChange={(event) => setName(event.target.value)}
          />
          <Field label="Subscribers also receive">
            {(id) => (
              <select id={id} value={parent} onChange={(event) => setParent(event.target.value)}>
                <option value={NO_PARENT}>Nothing else</option>
                {(channels.data?.channels ?? []).map((channel) => (
                  <option key={channel.name} value={channel.name}>
                    {channel.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <TextField
            label="Description"
            value={description}
            maxLength={500}
            onChange={(event) => setDescription(event.target.value)}
          />
          <button type="submit" className="button" disabled={create.pending}>
            {create.pending ? "Adding…" : "Add channel"}
          </button>
        </div>
        {created && (
          <p className="muted" role="status">
            Channel {created} added.
          </p>
        )}
        {create.error !== undefined && <ErrorState error={create.error} />}
      </form>
    </section>
  );
}
