import { Link, useSearchParams } from "@remix-run/react";

/**
 * The links under a list read a page at a time, newest first (see ~/db/keyset): back to the
 * newest page when this is not it, on to older entries when there are more. `param` carries
 * the cursor in the page's URL, beside its other parameters; `anchor` brings the reader back
 * to the list.
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
  const [search] = useSearchParams();
  if (!older && !paged) return null;
  // The page's other parameters (a list's filters) stay as they are.
  const to = (cursor: string | null) => {
    const next = new URLSearchParams(search);
    if (cursor) next.set(param, cursor);
    else next.delete(param);
    return `?${next.toString()}${anchor ? `#${anchor}` : ""}`;
  };
  return (
    <p className="row">
      {paged ? (
        <Link to={to(null)} preventScrollReset>
          {labels.newest}
        </Link>
      ) : null}
      {older ? (
        <Link to={to(older)} preventScrollReset>
          {labels.older}
        </Link>
      ) : null}
    </p>
  );
}
