import { Link } from "@remix-run/react";

/**
 * The links under a list read a page at a time, newest first (see ~/db/keyset): back to the
 * newest page when this is not it, on to older entries when there are more. `param` carries
 * the cursor in the page's URL; `anchor` brings the reader back to the list.
 */
export function KeysetPager({
  older,
  paged,
  param,
  anchor,
  labels,
}: {
  older: string | null;
  paged: boolean;
  param: string;
  anchor?: string;
  labels: { newest: string; older: string };
}) {
  if (!older && !paged) return null;
  const hash = anchor ? `#${anchor}` : "";
  return (
    <p className="row">
      {paged ? (
        <Link to={`?${hash}`} preventScrollReset>
          {labels.newest}
        </Link>
      ) : null}
      {older ? (
        <Link to={`?${param}=${encodeURIComponent(older)}${hash}`} preventScrollReset>
          {labels.older}
        </Link>
      ) : null}
    </p>
  );
}
