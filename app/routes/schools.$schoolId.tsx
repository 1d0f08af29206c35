import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireUser } from "~/auth/session.server";
import { pageTitle } from "~/components/page-title";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import type { Locale } from "~/i18n/config";
import { LocalizedName, pickName } from "~/i18n/localized-name";
import type { loader as rootLoader } from "~/root";
import { getSchool } from "~/schools/queries.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => {
  const locale = (matches.find((m) => m.id === "root")?.data as { locale?: Locale } | undefined)?.locale ?? "zh-CN";
  return pageTitle(matches, "school:title", data ? pickName(data.school, locale).text : undefined);
};

export const loader = async ({ request, context, params }: LoaderFunctionArgs) => {
  const { claims, headers } = await requireUser(request, context);
  const id = z.string().uuid().safeParse(params.schoolId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const school = await withUserTransaction(context.tongke.database, claims, (tx) => getSchool(tx, id.data));
  if (!school) throw new Response("Not found", { status: 404 });
  return data({ school }, { headers });
};

export default function SchoolPage() {
  const { t } = useTranslation("school");
  const { school } = useLoaderData<typeof loader>();
  const locale = useRouteLoaderData<typeof rootLoader>("root")!.locale;
  const teachers = school.people.filter((p) => p.role === "teacher");
  const admins = school.people.filter((p) => p.role === "school_admin");
  const names = [school.nameZh, school.nameBo, school.nameEn].filter(Boolean);
  return (
    <div className="page">
      <h1>
        <LocalizedName names={school} locale={locale} />
      </h1>
      <p className="school-names">
        {names
          .filter((n) => n !== pickName(school, locale).text)
          .map((n) => (
            <span key={n} lang={n === school.nameBo ? "bo" : n === school.nameEn ? "en" : "zh-CN"}>
              {n}
            </span>
          ))}
      </p>
      <dl className="facts">
        <dt>{t("region")}</dt>
        <dd>
          <LocalizedName names={school.region} locale={locale} />
        </dd>
        <dt>{t("stage")}</dt>
        <dd>{t(`common:stages.${school.stage}`)}</dd>
      </dl>
      <div className="grid-2">
        <section className="card" aria-labelledby="people">
          <h2 id="people">{t("people")}</h2>
          {school.people.length === 0 ? (
            <p className="muted">{t("peopleHidden")}</p>
          ) : (
            <>
              {admins.length ? <PeopleList title={t("admins")} people={admins} /> : null}
              <PeopleList title={t("teachers")} people={teachers} empty={t("noTeachers")} />
            </>
          )}
        </section>
        <section className="card" aria-labelledby="classrooms">
          <h2 id="classrooms">{t("classrooms")}</h2>
          {school.classrooms.length === 0 ? (
            <p className="muted">{t("classroomsHidden")}</p>
          ) : (
            <ul className="plain-list">
              {school.classrooms.map((c) => (
                <li key={c.id}>
                  <strong>{c.name}</strong>
                  {c.grade ? <span className="muted"> · {c.grade}</span> : null}
                  {c.deviceNote ? <span className="muted"> · {c.deviceNote}</span> : null}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}

function PeopleList({ title, people, empty }: { title: string; people: { userId: string; displayName: string }[]; empty?: string }) {
  return (
    <>
      <h3>{title}</h3>
      {people.length === 0 && empty ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="plain-list">
          {people.map((p) => (
            <li key={p.userId}>{p.displayName}</li>
          ))}
        </ul>
      )}
    </>
  );
}
