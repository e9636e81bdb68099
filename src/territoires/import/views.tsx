import { formatParisDateTime } from '../../platform/admin/model.ts';
import { CsrfField, ErrorSummary, SelectField, type FieldErrors } from '../../platform/ui/forms.tsx';
import { entier, IMPORT_KINDS, KIND_INFO, NOTHING_CHANGED, percentage, PHASE_LABELS, STATUT_LABELS, type ImportKind, type ImportStatut } from './model.ts';
import type { Job } from './progress.ts';
import type { ImportRow } from './store.ts';

export const FORM_LABELS = { type: 'Type de fichier', fichier: 'Fichier' };
export const MAX_UPLOAD_MB = 50;

const kindLabel = (kind: string) => KIND_INFO[kind as ImportKind]?.libelle ?? kind;
const STATUT_BADGES: Record<ImportStatut, string> = { en_cours: 'badge badge-warning', termine: 'badge badge-success', echec: 'badge badge-danger' };

function Statut(props: { statut: string }) {
  const s = props.statut as ImportStatut;
  return <span class={STATUT_BADGES[s] ?? 'badge'}>{STATUT_LABELS[s] ?? props.statut}</span>;
}

function FileField(props: { errors: FieldErrors }) {
  const error = props.errors.fichier;
  const describedBy = ['aide-fichier', error ? 'erreur-fichier' : null].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for="champ-fichier">{FORM_LABELS.fichier}</label>
      <p class="hint" id="aide-fichier">
        GeoJSON, CSV ou CSV compressé (.gz), {MAX_UPLOAD_MB} Mo au plus. Le fichier est vérifié en entier avant toute écriture, puis supprimé du serveur.
      </p>
      {error && (
        <p class="error-message" id="erreur-fichier">
          <span class="visually-hidden">Erreur : </span>
          {error}
        </p>
      )}
      <input id="champ-fichier" name="fichier" type="file" accept=".geojson,.json,.csv,.gz,.txt" aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy} />
    </div>
  );
}

function History(props: { runs: ImportRow[] }) {
  if (!props.runs.length) return <p>Aucun import n'a encore été fait pour ce contrat.</p>;
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label="Historique des imports">
      <table>
        <caption>Historique des imports (les plus récents d'abord, heure de Paris)</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Type</th>
            <th scope="col">Fichier</th>
            <th scope="col">Par</th>
            <th scope="col">Statut</th>
            <th scope="col">Ajoutés</th>
            <th scope="col">Modifiés</th>
            <th scope="col">Inchangés</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {props.runs.map((r) => (
            <tr>
              <td>
                <time dateTime={r.debut.toISOString()}>{formatParisDateTime(r.debut)}</time>
              </td>
              <td>{kindLabel(r.kind)}</td>
              <td>
                <a href={`/admin/imports/${r.id}`}>{r.fichier}</a>
              </td>
              <td>{r.parLibelle}</td>
              <td>
                <Statut statut={r.statut} />
              </td>
              <td class="number">{r.statut === 'termine' ? entier(r.ajoutes) : '—'}</td>
              <td class="number">{r.statut === 'termine' ? entier(r.modifies) : '—'}</td>
              <td class="number">{r.statut === 'termine' ? entier(r.inchanges) : '—'}</td>
              <td>{r.message ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ImportsPage(props: { csrf: string; values: { type?: string | undefined }; errors: FieldErrors; runs: ImportRow[] }) {
  const { errors } = props;
  return (
    <>
      <h1>Imports de données ouvertes</h1>
      <ErrorSummary errors={errors} labels={FORM_LABELS} />
      <p>
        Contours des quartiers prioritaires, des arrondissements et des IRIS, chiffres de l'INSEE par quartier, Base Adresse Nationale : importez ici les
        fichiers officiels. Un fichier refusé ne modifie rien ; importer deux fois le même fichier ne change rien.
      </p>
      <form method="post" action="/admin/imports" enctype="multipart/form-data" novalidate>
        <CsrfField token={props.csrf} />
        <SelectField
          name="type"
          label={FORM_LABELS.type}
          placeholder="Choisissez le type de fichier"
          value={props.values.type}
          options={IMPORT_KINDS.map((k) => ({ value: k, label: KIND_INFO[k].libelle }))}
          errors={errors}
          hint="Le type dit comment lire le fichier : voir le détail de chaque type ci-dessous."
        />
        <details class="details">
          <summary>Ce que chaque type de fichier doit contenir</summary>
          <dl>
            {IMPORT_KINDS.map((k) => (
              <>
                <dt>{KIND_INFO[k].libelle}</dt>
                <dd>{KIND_INFO[k].description}</dd>
              </>
            ))}
          </dl>
        </details>
        <FileField errors={errors} />
        <button type="submit" class="button">
          Importer
        </button>
      </form>
      <h2>Historique</h2>
      <History runs={props.runs} />
    </>
  );
}

function Facts(props: { run: ImportRow }) {
  const { run } = props;
  return (
    <dl class="details">
      <dt>Type de fichier</dt>
      <dd>{kindLabel(run.kind)}</dd>
      <dt>Fichier</dt>
      <dd>{run.fichier}</dd>
      <dt>Par</dt>
      <dd>{run.parLibelle}</dd>
      <dt>Début</dt>
      <dd>
        <time dateTime={run.debut.toISOString()}>{formatParisDateTime(run.debut)}</time>
      </dd>
      {run.fin && (
        <>
          <dt>Fin</dt>
          <dd>
            <time dateTime={run.fin.toISOString()}>{formatParisDateTime(run.fin)}</time>
          </dd>
        </>
      )}
    </dl>
  );
}

/** While the run goes on: refreshed every second (a script when there is one, the page itself otherwise). */
export function ProgressPage(props: { run: ImportRow; job: Job | undefined }) {
  const { run, job } = props;
  const pct = job ? percentage(job) : null;
  const phase = job ? PHASE_LABELS[job.phase] : 'En cours';
  return (
    <>
      <h1>Import en cours</h1>
      <section data-suivi-import aria-labelledby="etape">
        {/* Without JavaScript the page reloads itself; with it, import-suivi.js updates it in place. */}
        <noscript>
          <meta http-equiv="refresh" content="1" />
        </noscript>
        <p id="etape" role="status" data-phase>
          {`Étape : ${phase}`}
        </p>
        <p>
          <label for="avancement">Avancement de l'étape</label>{' '}
          {pct === null ? <progress id="avancement" /> : <progress id="avancement" max={100} value={pct} />}{' '}
          <span data-pourcentage>{pct === null ? '' : `${pct} %`}</span>
        </p>
        {!job && (
          <p>
            Cet import est mené par un autre processus (la ligne de commande ou un autre serveur) : cette page affichera son résultat dès qu'il sera
            enregistré.
          </p>
        )}
        <p>La page se met à jour toute seule. Vous pouvez la quitter : l'import continue et son résultat restera dans l'historique.</p>
        <script src="/static/import-suivi.js" defer />
      </section>
      <Facts run={run} />
      <p>
        <a href="/admin/imports">Retour aux imports</a>
      </p>
    </>
  );
}

export function ResultPage(props: { run: ImportRow }) {
  const { run } = props;
  const ok = run.statut === 'termine';
  return (
    <>
      <h1>{ok ? 'Import terminé' : "Échec de l'import"}</h1>
      {ok ? (
        <div class="notice notice-success">
          <p>{run.message}</p>
        </div>
      ) : (
        <div class="notice notice-warning">
          <p>{run.message}</p>
          {(run.erreurLigne !== null || run.erreurColonne !== null) && (
            <ul>
              {run.erreurLigne !== null && <li>{`Ligne : ${entier(run.erreurLigne)}`}</li>}
              {run.erreurColonne !== null && <li>{`Colonne : ${run.erreurColonne}`}</li>}
            </ul>
          )}
          <p>
            <strong>{NOTHING_CHANGED}</strong>
          </p>
        </div>
      )}
      {ok && (
        <table>
          <caption>Résultat</caption>
          <tbody>
            <tr>
              <th scope="row">Ajoutés</th>
              <td class="number">{entier(run.ajoutes)}</td>
            </tr>
            <tr>
              <th scope="row">Modifiés</th>
              <td class="number">{entier(run.modifies)}</td>
            </tr>
            <tr>
              <th scope="row">Inchangés</th>
              <td class="number">{entier(run.inchanges)}</td>
            </tr>
          </tbody>
        </table>
      )}
      <Facts run={run} />
      <p>
        <a href="/admin/imports">{ok ? 'Importer un autre fichier' : 'Corriger le fichier et recommencer'}</a>
      </p>
    </>
  );
}
