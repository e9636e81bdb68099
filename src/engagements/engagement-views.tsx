import { plagesLignes } from '../contrat/model.ts';
import { CheckboxField } from '../platform/admin/accounts-views.tsx';
import { ErrorSummary, SelectField, TextField, type FieldErrors, type Option } from '../platform/ui/forms.tsx';
import { TableWrap } from '../platform/ui/table.tsx';
import { LIBELLES_NATURE, LIBELLES_ORIGINE, LIBELLES_SENS, NATURES_CIBLE, type NatureCible, type Sens } from './model.ts';
import type { SourceEngagement } from './schema.ts';
import type { EngagementRow } from './store.ts';
import { jourParisLong } from '../platform/dates.ts';

// The public pages of the commitments: the list with its filters and counts, and one commitment with
// every source that states it, their disagreements shown as such, and its follow-up campaign by campaign.

const nombreFr = new Intl.NumberFormat('fr-FR');

/** The document a source comes from, by seed number and origin, as readers cite it. */
function nomDocument(s: Pick<SourceEngagement, 'document' | 'origine'>): string {
  if (s.document === '002') return `Contrat de ville (document ${s.document})`;
  if (s.document === '004') return `${s.origine === 'livret' ? LIBELLES_ORIGINE.livret : 'Bilan 2015'} (document ${s.document})`;
  return `${LIBELLES_ORIGINE[s.origine] ?? 'Document'} (document ${s.document})`;
}


/**
 * "Bilan 2015 (document 004), l. 2461" — shared with the CSV and the API so that all three cite alike.
 * A commitment recorded in Pilotis has no document line: it is cited by the day it was recorded.
 */
export function citationSource(s: Pick<SourceEngagement, 'document' | 'origine' | 'lignes'>, enregistreLe: Date): string {
  if (s.origine === 'saisie' && !s.lignes.length) return `Saisi dans Pilotis le ${jourParisLong(enregistreLe)} par la direction de projet`;
  return s.lignes.length ? `${nomDocument(s)}, l. ${plagesLignes(s.lignes)}` : nomDocument(s);
}

export const hrefEngagement = (ref: string) => `/engagements/${encodeURIComponent(ref)}`;
export const hrefModifier = (ref: string) => `${hrefEngagement(ref)}/modifier`;
export const HREF_NOUVEAU = '/engagements/nouveau';
/** An item of the strategy tree: each part of its reference kept readable ("/contrat/arbre/1.2.3/P1/OO1"). */
export const hrefNoeud = (ref: string) => `/contrat/arbre/${ref.split('/').map(encodeURIComponent).join('/')}`;
export const hrefFiche = (annee: number, numero: number) => `/suivi/${annee}/fiches/${numero}`;

export const libelleNature = (n: string) => LIBELLES_NATURE[n as NatureCible] ?? n;
export const libelleSens = (s: string) => LIBELLES_SENS[s as Sens] ?? s;
export const pluriel = (n: number, un: string, des: string) => `${nombreFr.format(n)} ${n > 1 ? des : un}`;

export type Filtres = { organisation?: string | undefined; nature?: string | undefined; texte?: string | undefined; divergences: boolean };
const LIBELLES_FILTRES = { organisation: 'Porteur', nature: 'Nature de la cible', texte: 'Texte', divergences: 'Seulement les divergences' };

/** The query string of a set of filters, to carry them to the CSV export (empty ones left out). */
function requeteFiltres(f: Filtres): string {
  const p = new URLSearchParams(Object.entries({ ...f, divergences: f.divergences ? 'oui' : '' }).filter((e): e is [string, string] => Boolean(e[1])));
  return p.size ? `?${p}` : '';
}

export type LigneEngagement = Pick<EngagementRow, 'ref' | 'intitule' | 'porteur' | 'nature' | 'sens' | 'cible' | 'echeance'> & { sources: number; divergent: boolean };

export type ListeData = {
  filtres: Filtres;
  erreurs: FieldErrors;
  organisations: Option[];
  lignes: LigneEngagement[];
  total: number;
  /** Whether the person may record commitments (the direction de projet). */
  saisie: boolean;
};

function FormulaireFiltres(props: { d: ListeData }) {
  const { filtres, erreurs, organisations } = props.d;
  return (
    <form method="get" action="/engagements" class="filters" role="search" aria-label="Filtrer les engagements" novalidate>
      <SelectField name="organisation" label={LIBELLES_FILTRES.organisation} options={organisations} placeholder="Tous les porteurs" value={filtres.organisation} errors={erreurs} />
      <SelectField
        name="nature"
        label={LIBELLES_FILTRES.nature}
        options={NATURES_CIBLE.map((n) => ({ value: n, label: LIBELLES_NATURE[n] }))}
        placeholder="Toutes les natures"
        value={filtres.nature}
        errors={erreurs}
      />
      <TextField name="texte" label={LIBELLES_FILTRES.texte} type="search" hint="Un mot de l’intitulé, de l’indicateur, du dispositif ou du porteur." value={filtres.texte} errors={erreurs} />
      <CheckboxField
        name="divergences"
        label={LIBELLES_FILTRES.divergences}
        hint="Les engagements dont les sources impriment des chiffres différents."
        checked={filtres.divergences}
        errors={erreurs}
      />
      <button type="submit" class="button">
        Filtrer
      </button>
    </form>
  );
}

function ComptesParNature(props: { lignes: LigneEngagement[] }) {
  const comptes = NATURES_CIBLE.map((n) => ({ nature: n, nombre: props.lignes.filter((l) => l.nature === n).length })).filter((c) => c.nombre > 0);
  return (
    <table>
      <caption>Engagements affichés, par nature de cible</caption>
      <thead>
        <tr>
          <th scope="col">Nature de la cible</th>
          <th scope="col" class="number">
            Engagements
          </th>
        </tr>
      </thead>
      <tbody>
        {comptes.map((c) => (
          <tr>
            <th scope="row">{LIBELLES_NATURE[c.nature]}</th>
            <td class="number">{nombreFr.format(c.nombre)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total</th>
          <td class="number">{nombreFr.format(props.lignes.length)}</td>
        </tr>
      </tfoot>
    </table>
  );
}

function TableauEngagements(props: { lignes: LigneEngagement[] }) {
  return (
    <TableWrap label="Tableau des engagements">
      <table>
        <caption>{`Les ${pluriel(props.lignes.length, 'engagement affiché', 'engagements affichés')}`}</caption>
        <thead>
          <tr>
            <th scope="col">Engagement</th>
            <th scope="col">Porteur</th>
            <th scope="col">Nature de la cible</th>
            <th scope="col">Sens</th>
            <th scope="col">Cible et échéance</th>
            <th scope="col">Sources</th>
          </tr>
        </thead>
        <tbody>
          {props.lignes.map((l) => (
            <tr>
              <th scope="row">
                <a href={hrefEngagement(l.ref)}>{l.intitule}</a>
                <br />
                <small>{l.ref}</small>
              </th>
              <td>{l.porteur ?? 'Non précisé'}</td>
              <td>{libelleNature(l.nature)}</td>
              <td>{libelleSens(l.sens)}</td>
              <td>
                {l.cible ?? 'Non chiffrée'}
                {l.echeance && (
                  <>
                    <br />
                    <small>Échéance : {l.echeance}</small>
                  </>
                )}
              </td>
              <td>
                {pluriel(l.sources, 'source', 'sources')}
                {l.divergent && (
                  <>
                    {' '}
                    <span class="badge badge-warning">Sources divergentes</span>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export function EngagementsPage(props: { d: ListeData }) {
  const { d } = props;
  const invalide = Object.keys(d.erreurs).length > 0;
  return (
    <>
      <h1>Les engagements du contrat</h1>
      <ErrorSummary errors={d.erreurs} labels={LIBELLES_FILTRES} />
      <p class="lead">
        Ce que chaque signataire s’est engagé à faire pour les quartiers prioritaires, tel que les documents l’impriment : l’indicateur suivi, la cible,
        l’échéance, et chaque source qui l’énonce.
      </p>
      {d.saisie && (
        <p>
          <a href={HREF_NOUVEAU} class="button button-secondary">
            Enregistrer un engagement
          </a>
        </p>
      )}
      <FormulaireFiltres d={d} />
      {invalide ? (
        <p>Corrigez le filtre pour afficher les engagements.</p>
      ) : (
        <>
          <p role="status">{`${pluriel(d.lignes.length, 'engagement affiché', 'engagements affichés')} sur ${nombreFr.format(d.total)}.`}</p>
          <p>
            <a href={`/engagements/export.csv${requeteFiltres(d.filtres)}`} download>
              Télécharger ces engagements (CSV)
            </a>
          </p>
          {d.lignes.length ? (
            <>
              <ComptesParNature lignes={d.lignes} />
              <TableauEngagements lignes={d.lignes} />
            </>
          ) : (
            <p>Aucun engagement ne correspond au filtre.</p>
          )}
        </>
      )}
    </>
  );
}

// ——— One commitment ———
