import { Fragment } from "react";

/**
 * Text that wraps at its natural joints (after ".", "-", "/", ",") instead of mid-word: a long
 * host name or path in a narrow card breaks as "replica-analytics-<wbr>warehouse.eu-central-1.…".
 * overflow-wrap:anywhere is the last resort for a label longer than a line with no joint.
 */
export function BreakableText({ text }: { text: string }) {
  const parts = text.split(/(?<=[.\-/,])/);
  return (
    <span className="[overflow-wrap:anywhere]">
      {parts.map((part, i) => (
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 ? <wbr /> : null}
        </Fragment>
      ))}
    </span>
  );
}
