// The chart's controls: metric, range presets, resolution (only what the API accepts for the range),
// and zoom and pan buttons, the keyboard's way to do what dragging across the chart does.
import { RESOLUTIONS } from "@nexus/contracts";
import { useId } from "react";
import { SelectField } from "../../components/field.tsx";
import { capitalized } from "../../lib/format.ts";
import {
  type ChartRange,
  canPanLater,
  canZoomIn,
  canZoomOut,
  panRange,
  presetRange,
  RANGE_PRESETS,
  resolutionRefusal,
  zoomRange,
} from "../../lib/telemetry-range.ts";

interface Step {
  label: string;
  enabled: (range: ChartRange) => boolean;
  next: (range: ChartRange, now: number) => ChartRange;
}

const STEPS: readonly Step[] = [
  { label: "Zoom in", enabled: canZoomIn, next: (range, now) => zoomRange(range, 0.5, now) },
  { label: "Zoom out", enabled: canZoomOut, next: (range, now) => zoomRange(range, 2, now) },
  { label: "Earlier", enabled: () => true, next: (range, now) => panRange(range, -1, now) },
  {
    label: "Later",
    // A preset already ends now.
    enabled: (range) => !range.preset && canPanLater(range, Date.now()),
    next: (range, now) => panRange(range, 1, now),
  },
];

export function ChartControls({
  metric,
  metrics,
  range,
  onShow,
  onRefresh,
  busy,
}: {
  metric: string;
  metrics: readonly string[];
  range: ChartRange;
  onShow: (next: { metric?: string; range?: ChartRange }) => void;
  onRefresh: () => void;
  busy: boolean;
}) {
  const hintId = useId();
  const refused = RESOLUTIONS.filter((resolution) => resolutionRefusal(range.from, range.to, resolution));

  return (
    <div className="chart-controls">
      <SelectField
        label="Metric"
        value={metric}
        choices={metrics.map((name) => ({ value: name, label: name }))}
        onChange={(next) => onShow({ metric: next })}
      />
      <ButtonGroup
        legend="Range"
        buttons={RANGE_PRESETS.map((preset) => ({
          label: preset.label,
          pressed: range.preset === preset.id,
          onClick: () => onShow({ range: presetRange(preset.id, Date.now()) }),
        }))}
      />
      <SelectField
        label="Resolution"
        value={range.resolution}
        describedBy={refused.length > 0 ? hintId : undefined}
        choices={RESOLUTIONS.map((resolution) => ({
          value: resolution,
          label: `${capitalized(resolution)}${refused.includes(resolution) ? " (range too long)" : ""}`,
          disabled: refused.includes(resolution),
        }))}
        onChange={(resolution) => onShow({ range: { ...range, resolution } })}
      />
      <ButtonGroup
        legend="View"
        buttons={[
          ...STEPS.map((step) => ({
            label: step.label,
            disabled: !step.enabled(range),
            onClick: () => onShow({ range: step.next(range, Date.now()) }),
          })),
          { label: "Refresh", disabled: busy, quiet: true, onClick: onRefresh },
        ]}
      />
      {refused.length > 0 && (
        <p className="muted small field-hint" id={hintId}>
          {refused.map((resolution) => resolutionRefusal(range.from, range.to, resolution)).join("; ")}: zoom
          in to chart by {refused.join(" or ")}.
        </p>
      )}
    </div>
  );
}

/** A labelled row of buttons; `pressed` makes one a toggle (aria-pressed). */
function ButtonGroup({
  legend,
  buttons,
}: {
  legend: string;
  buttons: { label: string; onClick: () => void; pressed?: boolean; disabled?: boolean; quiet?: boolean }[];
}) {
  return (
    <fieldset className="control-set">
      <legend className="control-label">{legend}</legend>
      <div className="button-group">
        {buttons.map((button) => (
          <button
            key={button.label}
            type="button"
            aria-pressed={button.pressed}
            className={button.quiet ? "button button-quiet" : "button"}
            disabled={button.disabled}
            onClick={button.onClick}
          >
            {button.label}
          </button>
        ))}
      </div>
    </fieldset>
  );
}
