import { CsrfField, ErrorSummary, SelectField, TextField, type FieldErrors, type Option } from '../platform/ui/forms.tsx';
import { TableWrap } from '../platform/ui/table.tsx';
import { formatTaux, LIBELLES_STATUT, STATUTS_FICHE, type StatutFiche } from './model.ts';
import { LIBELLES_OUVERTURE } from './fiche-form.ts';
import type { CampagneRow, FicheComplete } from './store.ts';
import { FilAriane, type Miette } from '../platform/ui/fil-ariane.tsx';
import { jourLong } from '../platform/dates.ts';
export { FilAriane, type Miette };

// The campaigns of monitoring sheets, and one campaign's sheets with the direction's controls.


/** "2017-03-31" → "31 mars 2017"; anything else as written. */
export function jourFr(iso: string | null): string {
  if (!iso) return 'non fixée';
  const d = new Date(`${iso}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) && !Number.isNaN(d.getTime()) ? jourLong(iso) : iso;
}

const CLASSES_STATUT: Record<StatutFiche, string> = { a_remplir: 'badge', soumise: 'badge badge-warning', renvoyee: 'badge badge-danger', validee: 'badge badge-success' };
export function BadgeStatut(props: { statut: string }) {
  const s = props.statut as StatutFiche;
  return <span class={CLASSES_STATUT[s] ?? 'badge'}>{LIBELLES_STATUT[s] ?? props.statut}</span>;
}

export const hrefCampagne = (annee: number) => `/suivi/${annee}`;
export const hrefFiche = (annee: number, numero: number) => `/suivi/${annee}/fiches/${numero}`;

/** Where entry stands: open until the deadline, closed by the direction, or past the deadline. */
export function etatSaisie(c: CampagneRow, aujourdhui: string): string {
  if (c.close) return 'Saisie close';
  if (c.echeance === null || aujourdhui > c.echeance) return 'Échéance passée';
  return 'Saisie ouverte';
}

export type CampagneListee = CampagneRow & { fiches: number; parStatut: Record<string, number> };
export type Formulaire<V> = { values: V; errors: FieldErrors };

export function CampagnesPage(props: {
  campagnes: CampagneListee[];
  aujourdhui: string;
  ouverture: Formulaire<{ annee?: string | undefined; echeance?: string | undefined }> | null;
  csrf: string;
}) {
  const { ouverture } = props;
  return (
    <>
      <FilAriane miettes={[{ label: 'Suivi des engagements' }]} />
      <h1>Les campagnes de suivi des engagements</h1>
      {ouverture && <ErrorSummary errors={ouverture.errors} labels={LIBELLES_OUVERTURE} />}
      <p class="lead">Chaque année, les signataires du contrat remplissent une fiche de suivi par engagement ; la direction de projet les valide puis publie le bilan.</p>
      {props.campagnes.length === 0 ? (
        <p>Aucune campagne n’est encore visible.</p>
      ) : (
        <TableWrap label="Campagnes de suivi">
          <table>
            <caption>Campagnes de suivi</caption>
            <thead>
              <tr>
                <th scope="col">Année</th>
                <th scope="col">Échéance</th>
                <th scope="col">État</th>
                <th scope="col">Fiches</th>
                {STATUTS_FICHE.map((s) => (
                  <th scope="col">{LIBELLES_STATUT[s]}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.campagnes.map((c) => (
                <tr>
                  <th scope="row">
                    <a href={hrefCampagne(c.annee)}>Campagne {c.annee}</a>
                  </th>
                  <td>{jourFr(c.echeance)}</td>
                  <td>
                    {etatSaisie(c, props.aujourdhui)}
                    {c.publiee ? ' ; bilan publié' : ' ; bilan non publié'}
                  </td>
                  <td>{c.fiches}</td>
                  {STATUTS_FICHE.map((s) => (
                    <td>{c.parStatut[s] ?? 0}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {ouverture && (
        <section class="card" aria-labelledby="titre-ouvrir">
          <h2 id="titre-ouvrir">Ouvrir une campagne</h2>
          <p>Les fiches de la dernière campagne sont reprises, avec leurs cibles, les résultats à remplir.</p>
          <form method="post" action="/suivi/campagnes" novalidate>
            <CsrfField token={props.csrf} />
            <TextField name="annee" label={LIBELLES_OUVERTURE.annee} hint="Par exemple 2016." value={ouverture.values.annee} errors={ouverture.errors} required />
            <TextField name="echeance" type="date" label={LIBELLES_OUVERTURE.echeance} hint="Après cette date, les partenaires ne peuvent plus enregistrer." value={ouverture.values.echeance} errors={ouverture.errors} required />
            <button type="submit" class="button">
              Ouvrir la campagne
            </button>
          </form>
        </section>
      )}
    </>
  );
}

export type LigneFiche = { fiche: FicheComplete; organisation: string; mienne: boolean };
export type Filtres = { statut: string; organisation: string; alertes: boolean };

/** The rates of a sheet's measures: as declared, and as Pilotis computes them. */
function Taux(props: { fiche: FicheComplete }) {
  return (
    <ul class="plain-list">
      {props.fiche.mesures.map((m) => (
        <li>
          {props.fiche.mesures.length > 1 && `${m.sousMesure ?? m.rang} : `}
          déclaré {m.tauxDeclare ?? '—'} ; calculé par Pilotis {m.tauxCalcule === null ? '—' : formatTaux(m.tauxCalcule)}
        </li>
      ))}
    </ul>
  );
}

export const hrefBilan = (annee: number, ext = '') => `/suivi/${annee}/bilan${ext}`;

export function CampagnePage(props: {
  campagne: CampagneRow;
  /** Whether the person may open the bilan: published, or followed as a whole. */
  bilan: boolean;
  aujourdhui: string;
  lignes: LigneFiche[];
  total: number;
  filtres: Filtres;
  organisations: Option[];
  pilotage: Formulaire<{ echeance?: string | undefined }> | null;
  csrf: string;
}) {
  const { campagne: c, filtres, pilotage } = props;
  const miennes = props.lignes.filter((l) => l.mienne).length;
  return (
    <>
      <FilAriane miettes={[{ label: 'Suivi des engagements', href: '/suivi' }, { label: `Campagne ${c.annee}` }]} />
      <h1>Campagne de suivi {c.annee}</h1>
      {pilotage && <ErrorSummary errors={pilotage.errors} labels={{ echeance: 'Nouvelle échéance' }} />}
      <dl class="details">
        <dt>Échéance</dt>
        <dd>{jourFr(c.echeance)}</dd>
        <dt>Saisie</dt>
        <dd>{etatSaisie(c, props.aujourdhui)}</dd>
        <dt>Bilan</dt>
        <dd>
          {c.publiee ? 'Publié : les fiches validées sont publiques' : 'Non publié'}
          {props.bilan && (
            <>
              {' — '}
              <a href={hrefBilan(c.annee)}>Voir le bilan {c.annee}</a>
            </>
          )}
        </dd>
        {c.source && (
          <>
            <dt>Origine</dt>
            <dd>{c.source}</dd>
          </>
        )}
      </dl>
      <form method="get" action={hrefCampagne(c.annee)} class="filters" aria-label="Filtrer les fiches">
        <SelectField name="statut" label="Statut" value={filtres.statut} placeholder="Tous" options={STATUTS_FICHE.map((s) => ({ value: s, label: LIBELLES_STATUT[s] }))} errors={{}} />
        <SelectField name="organisation" label="Organisation ou service" value={filtres.organisation} placeholder="Toutes" options={props.organisations} errors={{}} />
        <div class="field field-checkbox">
          <label for="champ-alertes">
            <input type="checkbox" id="champ-alertes" name="alertes" value="oui" checked={filtres.alertes} /> Avec alertes seulement
          </label>
        </div>
        <button type="submit" class="button button-secondary">
          Filtrer
        </button>
      </form>
      <p role="status">
        {props.lignes.length === props.total ? `${props.total} fiche${props.total > 1 ? 's' : ''}.` : `${props.lignes.length} fiche${props.lignes.length > 1 ? 's' : ''} sur ${props.total}.`}
        {miennes > 0 && miennes < props.lignes.length && ` Les ${miennes} fiches que vous remplissez sont en tête de liste.`}
      </p>
      {props.lignes.length > 0 && (
        <TableWrap label={`Fiches de la campagne ${c.annee}`}>
          <table>
            <caption>Fiches de la campagne {c.annee}</caption>
            <thead>
              <tr>
                <th scope="col">N°</th>
                <th scope="col">Fiche</th>
                <th scope="col">Organisation ou service</th>
                <th scope="col">Statut</th>
                <th scope="col">Taux de réalisation</th>
                <th scope="col">Alertes</th>
              </tr>
            </thead>
            <tbody>
              {props.lignes.map(({ fiche: f, organisation }) => (
                <tr>
                  <td>{f.numero}</td>
                  <th scope="row">
                    <a href={hrefFiche(c.annee, f.numero)}>{f.titre}</a>
                  </th>
                  <td>{organisation}</td>
                  <td>
                    <BadgeStatut statut={f.statut} />
                  </td>
                  <td>
                    <Taux fiche={f} />
                  </td>
                  <td>{f.mesures.reduce((n, m) => n + m.alertes.length, 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {pilotage && <Pilotage campagne={c} pilotage={pilotage} csrf={props.csrf} />}
    </>
  );
}

/** The direction's controls: the deadline, closing entry, publishing the bilan. */
function Pilotage(props: { campagne: CampagneRow; pilotage: Formulaire<{ echeance?: string | undefined }>; csrf: string }) {
  const { campagne: c } = props;
  const bascule = (action: string, valeur: 'oui' | 'non', libelle: string) => (
    <form method="post" action={`${hrefCampagne(c.annee)}/${action}`}>
      <CsrfField token={props.csrf} />
      <input type="hidden" name="valeur" value={valeur} />
      <button type="submit" class="button button-secondary">
        {libelle}
      </button>
    </form>
  );
  return (
    <section class="card" aria-labelledby="titre-piloter">
      <h2 id="titre-piloter">Piloter la campagne</h2>
      <form method="post" action={`${hrefCampagne(c.annee)}/echeance`} novalidate>
        <CsrfField token={props.csrf} />
        <TextField name="echeance" type="date" label="Nouvelle échéance" value={props.pilotage.values.echeance ?? c.echeance ?? ''} errors={props.pilotage.errors} required />
        <button type="submit" class="button button-secondary">
          Changer l’échéance
        </button>
      </form>
      <div class="actions">
        {c.close ? bascule('cloture', 'non', 'Rouvrir la saisie de la campagne') : bascule('cloture', 'oui', 'Clore la saisie')}
        {c.publiee ? bascule('publication', 'non', 'Retirer la publication du bilan') : bascule('publication', 'oui', 'Publier le bilan')}
      </div>
    </section>
  );
}
