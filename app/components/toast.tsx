import { useLocation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

/** A message for the reader after an action: a translation key and its values (toast.server.ts). */
export interface Toast {
  id: string;
  key: string;
  values?: Record<string, string | number>;
}

/**
 * The toast of the last action, announced politely. It is in the page's HTML (no script needed
 * to see it), stays until the reader closes it or goes to another page, and never moves the
 * page's own content.
 */
export function ToastRegion({ toast }: { toast: Toast | null }) {
  const { t } = useTranslation();
  const location = useLocation();
  const [closed, setClosed] = useState<string | null>(null);
  // The page a toast arrived with: it is hidden once the reader navigates on.
  const arrived = useRef<{ id: string; location: string } | null>(null);
  useEffect(() => {
    if (!toast) return;
    if (arrived.current?.id !== toast.id) arrived.current = { id: toast.id, location: location.key };
    else if (arrived.current.location !== location.key) setClosed(toast.id);
  }, [toast, location.key]);
  const shown = toast && closed !== toast.id ? toast : null;
  return (
    <div className="toast-region" aria-live="polite">
      {shown ? (
        <div className="toast">
          <p role="status">{t(shown.key, shown.values)}</p>
          <button type="button" className="toast__close" onClick={() => setClosed(shown.id)} aria-label={t("common:closeMessage")}>
            ×
          </button>
        </div>
      ) : null}
    </div>
  );
}
