import type { ComponentChildren } from 'preact';

/**
 * A wide table scrolls sideways on a phone: its frame is a labelled region reachable with the
 * keyboard, so that it can be scrolled without a mouse (WCAG 2.1.1).
 */
export function TableWrap(props: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={props.label}>
      {props.children}
    </div>
  );
}
