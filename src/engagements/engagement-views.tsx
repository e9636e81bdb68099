import { numeroComplet, plagesLignes } from '../contrat/model.ts';
import { CheckboxField } from '../platform/admin/accounts-views.tsx';
import { ErrorSummary, SelectField, TextField, type FieldErrors, type Option } from '../platform/ui/forms.tsx';
import { TableWrap } from '../platform/ui/table.tsx';
import { formatTaux, LIBELLES_NATURE, LIBELLES_ORIGINE, LIBELLES_SENS, LIBELLES_STATUT, NATURES_CIBLE, type NatureCible, type Sens, type StatutFiche } from './model.ts';
import type { SourceEngagement } from './schema.ts';
import type { EngagementRow, MesureRow } from './store.ts';
import { FilAriane } from '../platform/ui/fil-ariane.tsx';
import { dateFr, LIBELLES_NIVEAU, type Niveau } from '../contrat/model.ts';
import { saisiDansPilotis } from './engagement-form.ts';

// The public pages of the commitments: the list with its filters and counts, and one commitment with
// every source that states it, their disagreements shown as such, and its follow-up campaign by campaign.

const nombreFr = new Intl.NumberFormat('fr-FR');

/** The document a source comes from, by seed number and origin, as readers cite it. */
function nomDocument(s: Pick<SourceEngagement, 'document' | 'origine'>): string {
  if (s.document === '002') return `Contrat de ville (document ${s.document})`;
  if (s.document === '004') return `${s.origine === 'livret' ? LIBELLES_ORIGINE.livret : 'Bilan 2015'} (document ${s.document})`;
  return `${LIBELLES_ORIGINE[s.origine] ?? 'Document'} (document ${s.document})`;
}

const jourLong = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' });

/**
 * "Bilan 2015 (document 004), l. 2461" — shared with the CSV and the API so that all three cite alike.
 * A commitment recorded in Pilotis has no document line: it is cited by the day it was recorded.
 */
export function citationSource(s: Pick<SourceEngagement, 'document' | 'origine' | 'lignes'>, enregistreLe: Date): string {
  if (s.origine === 'saisie' && !s.lignes.length) return `Saisi dans Pilotis le ${jourLong.format(enregistreLe)} par la direction de projet`;
  return s.lignes.length ? `${nomDocument(s)}, l. ${plagesLignes(s.lignes)}` : nomDocument(s);
}

export const hrefEngagement = (ref: string) => `/engagements/${encodeURIComponent(ref)}`;
export const hrefModifier = (ref: string) => `${hrefEngagement(ref)}/modifier`;
export const HREF_NOUVEAU = '/engagements/nouveau';
/** An item of the strategy tree: each part of its reference kept readable ("/contrat/arbre/1.2.3/P1/OO1"). */
const hrefNoeud = (ref: string) => `/contrat/arbre/${ref.split('/').map(encodeURIComponent).join('/')}`;
export const hrefFiche = (annee: number, numero: number) => `/suivi/${annee}/fiches/${numero}`;

const libelleNature = (n: string) => LIBELLES_NATURE[n as NatureCible] ?? n;
const libelleSens = (s: string) => LIBELLES_SENS[s as Sens] ?? s;
const pluriel = (n: number, un: string, des: string) => `${nombreFr.format(n)} ${n > 1 ? des : un}`;

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

export type LigneSuivi = { annee: number; numero: number; statut: string } & Pick<
  MesureRow,
  'sousMesure' | 'cible' | 'resultat' | 'dateResultat' | 'provisoire' | 'tauxDeclare' | 'tauxCalcule' | 'formule' | 'raison' | 'alertes'
>;

export type EngagementData = Pick<
  EngagementRow,
  'ref' | 'intitule' | 'indicateur' | 'unite' | 'porteur' | 'dispositif' | 'thematique' | 'nature' | 'sens' | 'reference' | 'cible' | 'echeance' | 'jalons' | 'noeudRefs' | 'sources' | 'createdAt'
> & {
  /** The organisation that answers for it in Pilotis, which the documents may name differently or not at all. */
  organisation: string | null;
  /** Whether the person may change it (the direction de projet). */
  modifiable: boolean;
  /** The items of the tree it serves, as the contract names them (a reference the tree no longer has keeps its number only). */
  noeuds: { ref: string; niveau: string; libelle: string }[];
  divergences: { valeur: string; sources: SourceEngagement[] }[];
  suivi: LigneSuivi[];
  /** Sheets of campaigns in progress or unpublished that this reader may not see. */
  masquees: number;
};


/** The porteur as the documents name it, and the organisation that answers for it in Pilotis when that is another. */
function porteurAffiche(e: Pick<EngagementData, 'porteur' | 'organisation'>): string | null {
  if (!e.porteur || !e.organisation || e.porteur === e.organisation) return e.porteur ?? e.organisation;
  return `${e.porteur} (organisation responsable dans Pilotis : ${e.organisation})`;
}

function CeQuiEstMesure(props: { e: EngagementData }) {
  const { e } = props;
  const imprime = saisiDansPilotis(e) ? 'Non renseignée' : 'Non imprimée';
  const lignes: [string, string | null, string][] = [
    ['Indicateur', e.indicateur, 'Non précisé'],
    ['Porteur', porteurAffiche(e), 'Non précisé'],
    ['Dispositif', e.dispositif, 'Aucun'],
    ['Thématique', e.thematique, 'Non précisée'],
    ['Nature de la cible', libelleNature(e.nature), ''],
    ['Sens', libelleSens(e.sens), ''],
    ['Unité', e.unite, 'Non précisée'],
    ['Valeur de référence', e.reference, imprime],
    ['Cible', e.cible, 'Non chiffrée'],
    ['Échéance', e.echeance, 'Non précisée'],
  ];
  return (
    <dl class="details">
      {lignes.map(([terme, valeur, vide]) => (
        <>
          <dt>{terme}</dt>
          <dd>{valeur ?? vide}</dd>
        </>
      ))}
    </dl>
  );
}

function TableauJalons(props: { jalons: EngagementData['jalons'] }) {
  return (
    <table>
      <caption>Jalons de l’engagement</caption>
      <thead>
        <tr>
          <th scope="col">Date</th>
          <th scope="col">Valeur attendue</th>
        </tr>
      </thead>
      <tbody>
        {props.jalons.map((j) => (
          <tr>
            <th scope="row">
              <time dateTime={j.date}>{dateFr(j.date)}</time>
            </th>
            <td>{j.valeur}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Sources that print different figures: each figure with the sources that print it, none preferred. */
function Divergences(props: { divergences: EngagementData['divergences']; enregistreLe: Date }) {
  if (!props.divergences.length) return null;
  return (
    <div class="notice notice-warning" role="note" aria-labelledby="titre-divergences">
      <h3 id="titre-divergences">Les sources divergent</h3>
      <p>Elles n’impriment pas le même chiffre. Chacun est affiché avec ses sources ; Pilotis n’en retient aucun.</p>
      <ul>
        {props.divergences.map((d) => (
          <li>
            <strong>{d.valeur}</strong> selon {d.sources.map((s) => citationSource(s, props.enregistreLe)).join(' ; ')}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Sources(props: { sources: SourceEngagement[]; enregistreLe: Date }) {
  return (
    <ol>
      {props.sources.map((s) => {
        const saisie = s.origine === 'saisie';
        return (
          <li>
            <p>
              <strong>{citationSource(s, props.enregistreLe)}</strong>
              {!saisie && ` — ${LIBELLES_ORIGINE[s.origine] ?? s.origine}`}
            </p>
            <blockquote>
              <p>{s.texte}</p>
            </blockquote>
            <p>{s.valeur === null ? 'Aucune cible chiffrée.' : `${saisie ? 'Cible saisie' : 'Cible imprimée'} : ${s.valeur}`}</p>
          </li>
        );
      })}
    </ol>
  );
}

function Resultat(props: { l: LigneSuivi }) {
  const { l } = props;
  if (l.resultat === null) return <>Non renseigné</>;
  const precisions = [l.dateResultat && !l.resultat.includes(l.dateResultat) ? `au ${l.dateResultat}` : null, l.provisoire ? 'provisoire' : null].filter(Boolean);
  return (
    <>
      {l.resultat}
      {precisions.length > 0 && <small>{` (${precisions.join(', ')})`}</small>}
    </>
  );
}

function TableauSuivi(props: { suivi: LigneSuivi[] }) {
  return (
    <TableWrap label="Tableau du suivi de l’engagement">
      <table>
        <caption>Suivi de l’engagement, campagne par campagne</caption>
        <thead>
          <tr>
            <th scope="col">Campagne</th>
            <th scope="col">Fiche de suivi</th>
            <th scope="col">Cible de la fiche</th>
            <th scope="col">Résultat</th>
            <th scope="col">Taux déclaré</th>
            <th scope="col">Taux calculé par Pilotis</th>
            <th scope="col">Alertes</th>
          </tr>
        </thead>
        <tbody>
          {props.suivi.map((l) => (
            <tr>
              <th scope="row">{l.annee}</th>
              <td>
                <a href={hrefFiche(l.annee, l.numero)}>{`Fiche n° ${l.numero}${l.sousMesure ? `, mesure ${l.sousMesure}` : ''}`}</a>
                <br />
                <small>{LIBELLES_STATUT[l.statut as StatutFiche] ?? l.statut}</small>
              </td>
              <td>{l.cible ?? 'Non chiffrée'}</td>
              <td>
                <Resultat l={l} />
              </td>
              <td>{l.tauxDeclare ?? 'Non imprimé'}</td>
              <td>
                {l.tauxCalcule === null ? (
                  <small>{l.raison ?? 'Pas de taux calculé.'}</small>
                ) : (
                  <>
                    {formatTaux(l.tauxCalcule)}
                    {l.formule && (
                      <>
                        <br />
                        <small>{l.formule}</small>
                      </>
                    )}
                  </>
                )}
              </td>
              <td>
                {l.alertes.length ? (
                  <ul class="plain-list">
                    {l.alertes.map((a) => (
                      <li>{a.message}</li>
                    ))}
                  </ul>
                ) : (
                  'Aucune'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export function EngagementPage(props: { e: EngagementData }) {
  const { e } = props;
  return (
    <>
      <FilAriane miettes={[{ label: 'Engagements', href: '/engagements' }, { label: e.ref }]} />
      <h1>{e.intitule}</h1>
      <p class="lead">{`Engagement ${e.ref}${e.porteur ?? e.organisation ? `, porté par ${e.porteur ?? e.organisation}` : ''}.`}</p>
      {e.modifiable && (
        <p>
          <a href={hrefModifier(e.ref)} class="button button-secondary">
            Modifier<span class="visually-hidden">{` l’engagement ${e.ref}`}</span>
          </a>
        </p>
      )}

      <h2>Ce qui est mesuré</h2>
      <CeQuiEstMesure e={e} />
      {e.jalons.length > 0 && <TableauJalons jalons={e.jalons} />}

      <h2>Dans l’arbre du contrat</h2>
      {e.noeudRefs.length ? (
        <ul>
          {e.noeudRefs.map((r) => {
            const n = e.noeuds.find((x) => x.ref === r);
            return (
              <li>
                <a href={hrefNoeud(r)}>{n ? `${LIBELLES_NIVEAU[n.niveau as Niveau]?.un ?? n.niveau} ${numeroComplet(r)} — ${n.libelle}` : `Élément ${numeroComplet(r)}`}</a>
              </li>
            );
          })}
        </ul>
      ) : (
        <p>Cet engagement n’est rattaché à aucun élément de l’arbre du contrat.</p>
      )}

      <h2>{`Sources (${e.sources.length})`}</h2>
      <Divergences divergences={e.divergences} enregistreLe={e.createdAt} />
      <Sources sources={e.sources} enregistreLe={e.createdAt} />

      <h2>Suivi</h2>
      {e.masquees > 0 && (
        <p>{`${pluriel(e.masquees, 'fiche d’une campagne en cours n’est pas affichée', 'fiches de campagnes en cours ne sont pas affichées')} : le suivi est public une fois la fiche validée et le bilan publié.`}</p>
      )}
      {e.suivi.length ? (
        <>
          <p>Chaque chiffre est affiché tel que la fiche l’imprime ; le taux que Pilotis calcule par règle est donné à côté, sans le remplacer.</p>
          <TableauSuivi suivi={e.suivi} />
        </>
      ) : (
        <p>Aucune fiche de suivi publiée ne suit encore cet engagement.</p>
      )}
    </>
  );
}
