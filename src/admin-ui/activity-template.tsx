// A webhook card's Activity: requests delivered and failed over 24 hours or 7 days, drawn by the
// script as an inline SVG (client/activity-chart.js) with a text summary beside it.
import type { Messages } from "./i18n";

export function ActivityPanel({ t }: { t: Messages }) {
  return (
    <section class="activity" aria-labelledby="wh-__ID__-activity">
      <div class="activity-head">
        <h3 id="wh-__ID__-activity">{t.activityHeading}</h3>
        <fieldset class="segmented">
          <legend class="sr-only">{t.activityWindows}</legend>
          <button type="button" data-action="activity" data-window="24h" aria-pressed="true">
            {t.window_24h}
          </button>
          <button type="button" data-action="activity" data-window="7d" aria-pressed="false">
            {t.window_7d}
          </button>
        </fieldset>
      </div>
      <div class="activity-body">
        <figure class="activity-figure">
          <div class="activity-chart" data-slot="activity-chart" />
          <figcaption class="activity-axis">
            <span data-slot="activity-from" />
            <span>{t.activityNow}</span>
          </figcaption>
        </figure>
        <div class="activity-text">
          <p data-slot="activity-summary" />
          {/* The colours' key; the summary says the same in words. */}
          <p class="activity-legend" aria-hidden="true">
            <span data-kind="delivered">{t.activityDelivered}</span>
            <span data-kind="failed">{t.activityFailed}</span>
          </p>
        </div>
      </div>
    </section>
  );
}
