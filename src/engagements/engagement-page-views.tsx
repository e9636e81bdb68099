import { dateFr, LIBELLES_NIVEAU, numeroComplet, type Niveau } from '../contrat/model.ts';
import { FilAriane } from '../platform/ui/fil-ariane.tsx';
import { TableWrap } from '../platform/ui/table.tsx';
import { formatTaux, LIBELLES_ORIGINE, LIBELLES_STATUT, type StatutFiche } from './model.ts';
import type { SourceEngagement } from './schema.ts';
import type { EngagementRow, MesureRow } from './store.ts';
import { saisiDansPilotis } from './engagement-form.ts';
import { citationSource, hrefFiche, hrefModifier, hrefNoeud, libelleNature, libelleSens, pluriel } from './engagement-views.tsx';

// One commitment's page: what is measured, the items of the tree it serves, every source with its figure
// (their disagreement shown), its milestones and its follow-up campaign after campaign.

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
