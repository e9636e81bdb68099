import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { sendPage } from '../http/render.tsx';
import { sendError } from '../http/guard.tsx';
import { auditBatches, listAudit, type AuditRow } from '../audit/store.ts';
import { AUDIT_PAGE_SIZE, type AuditFilter } from '../audit/model.ts';
import { csvStream, type CsvValue } from '../exports/csv.ts';
import { ErrorSummary, fieldErrors, TextField, type FieldErrors } from '../ui/forms.tsx';
import { ACTION_LABELS, changesText, describeChanges, formatParisDateTime, journalFilterSchema, journalQuery, OBJECT_LABELS } from './model.ts';

const FILTER_LABELS = { personne: 'Personne', objet: 'Objet', du: 'Du', au: 'Au', page: 'Page' };
type FilterValues = Partial<Record<'personne' | 'objet' | 'du' | 'au', string>>;

const numberFr = new Intl.NumberFormat('fr-FR');

function typedFilter(query: unknown): FilterValues {
  const q = (query ?? {}) as Record<string, unknown>;
  const out: FilterValues = {};
  for (const key of ['personne', 'objet', 'du', 'au'] as const) if (typeof q[key] === 'string') out[key] = q[key];
  return out;
}

function Changes(props: { row: AuditRow }) {
  const changes = describeChanges(props.row.before, props.row.after);
  if (!changes.length) return <>—</>;
  return (
    <ul class="changes">
      {changes.map((c) => (
        <li>
          <span class="change-field">{c.label}</span> : <span class="change-before">{c.before}</span> <span aria-hidden="true">→</span>
          <span class="visually-hidden"> devient </span> <span class="change-after">{c.after}</span>
        </li>
      ))}
    </ul>
  );
}

function JournalTable(props: { rows: AuditRow[] }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label="Liste des entrées">
      <table>
        <caption>Journal d'audit</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Personne</th>
            <th scope="col">Action</th>
            <th scope="col">Objet</th>
            <th scope="col">Changements</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>
              <td>
                <time dateTime={r.at.toISOString()}>{formatParisDateTime(r.at)}</time>
              </td>
              <td>{r.actorLabel}</td>
              <td>{ACTION_LABELS[r.action] ?? r.action}</td>
              <td>
                {OBJECT_LABELS[r.objectType] ?? r.objectType} : {r.objectLabel ?? r.objectId}
              </td>
              <td>
                <Changes row={r} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Pagination(props: { filter: AuditFilter; total: number }) {
  const { page } = props.filter;
  const pages = Math.max(1, Math.ceil(props.total / AUDIT_PAGE_SIZE));
  if (pages === 1 && page === 1) return null;
  return (
    <nav aria-label="Pagination" class="pagination">
      <ul>
        {page > 1 && (
          <li>
            <a href={`/admin/journal${journalQuery(props.filter, Math.min(page - 1, pages))}`} rel="prev">
              Page précédente
            </a>
          </li>
        )}
        <li>
          <span aria-current="page">{`Page ${page} sur ${pages}`}</span>
        </li>
        {page < pages && (
          <li>
            <a href={`/admin/journal${journalQuery(props.filter, page + 1)}`} rel="next">
              Page suivante
            </a>
          </li>
        )}
      </ul>
    </nav>
  );
}

function JournalPage(props: { values: FilterValues; errors: FieldErrors; result?: { filter: AuditFilter; rows: AuditRow[]; total: number } }) {
  const { values, errors, result } = props;
  return (
    <>
      <h1>Journal d'audit</h1>
      <ErrorSummary errors={errors} labels={FILTER_LABELS} />
      <p>Chaque modification faite dans Pilotis, par qui, quand, et ce qu'elle a changé. Les dates sont à l'heure de Paris.</p>
      <form method="get" action="/admin/journal" class="filters" novalidate>
        <TextField name="personne" label={FILTER_LABELS.personne} hint="L'adresse électronique de la personne qui a agi, ou une partie." value={values.personne} errors={errors} />
        <TextField name="objet" label={FILTER_LABELS.objet} hint="Le type, l'identifiant ou le nom de l'objet, par exemple une adresse électronique." value={values.objet} errors={errors} />
        <TextField name="du" label={FILTER_LABELS.du} type="date" hint="Premier jour inclus." value={values.du} errors={errors} />
        <TextField name="au" label={FILTER_LABELS.au} type="date" hint="Dernier jour inclus." value={values.au} errors={errors} />
        <button type="submit" class="button">
          Filtrer
        </button>
      </form>
      {result ? (
        <>
          <p>
            <a href={`/admin/journal.csv${journalQuery(result.filter)}`} download>
              Télécharger le journal (CSV)
            </a>
          </p>
          <p role="status">{`${numberFr.format(result.total)} entrée${result.total > 1 ? 's' : ''}.`}</p>
          {result.rows.length ? (
            <JournalTable rows={result.rows} />
          ) : (
            <p>{result.total ? 'Aucune entrée sur cette page.' : 'Aucune entrée ne correspond au filtre.'}</p>
          )}
          <Pagination filter={result.filter} total={result.total} />
        </>
      ) : (
        <p>Corrigez le filtre pour afficher le journal.</p>
      )}
    </>
  );
}

const CSV_HEADER = ['Date', 'Personne', 'Adresse IP', 'Action', "Type d'objet", "Identifiant de l'objet", 'Objet', 'Changements'];

function csvRecord(r: AuditRow): CsvValue[] {
  return [
    formatParisDateTime(r.at),
    r.actorLabel,
    r.ip,
    ACTION_LABELS[r.action] ?? r.action,
    OBJECT_LABELS[r.objectType] ?? r.objectType,
    r.objectId,
    r.objectLabel,
    changesText(describeChanges(r.before, r.after)),
  ];
}

export function auditRoutes(app: FastifyInstance): void {
  const { db } = app.ctx;

  app.get('/admin/journal', { config: { policy: 'admin.audit.lire' } }, async (req, reply) => {
    const values = typedFilter(req.query);
    const parsed = journalFilterSchema.safeParse(req.query ?? {});
    if (!parsed.success) {
      return sendPage(req, reply, "Erreur — Journal d'audit", <JournalPage values={values} errors={fieldErrors(parsed.error)} />, 400);
    }
    const { rows, total } = await listAudit(db, parsed.data, { contratId: req.contrat.id });
    return sendPage(req, reply, "Journal d'audit", <JournalPage values={values} errors={{}} result={{ filter: parsed.data, rows, total }} />);
  });

  app.get('/admin/journal.csv', { config: { policy: 'admin.audit.lire' } }, async (req, reply) => {
    const parsed = journalFilterSchema.safeParse(req.query ?? {});
    if (!parsed.success) return sendError(req, reply, 400, 'Le filtre du journal est invalide : corrigez-le sur la page du journal.');
    const { page: _page, ...filter } = parsed.data;
    async function* records() {
      for await (const batch of auditBatches(db, filter, { contratId: req.contrat.id })) yield batch.map(csvRecord);
    }
    const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' }).format(new Date());
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="journal-audit-${day}.csv"`)
      // The journal holds IP addresses: no cache may keep a copy.
      .header('cache-control', 'no-store')
      .send(Readable.from(csvStream(CSV_HEADER, records())));
  });
}
