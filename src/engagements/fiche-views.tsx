import { plagesLignes } from '../contrat/model.ts';
import { ErrorSummary } from '../platform/ui/forms.tsx';
import { TableWrap } from '../platform/ui/table.tsx';
import { formatTaux, LIBELLES_NATURE, LIBELLES_STATUT, type NatureCible, type StatutFiche } from './model.ts';
import { LIBELLES_PERIMETRE, LIBELLES_TEXTE, CHAMPS_TEXTE, nomMesure } from './fiche-form.ts';
import { BadgeStatut, FilAriane, hrefCampagne } from './campagne-views.tsx';
import { ConflitSaisie, DecisionDirection, LIBELLES_DECISION, SaisieFormulaire, type EtatDecision, type EtatSaisie } from './fiche-saisie-views.tsx';
import type { CampagneRow, EvenementRow, FicheComplete, MesureRow } from './store.ts';
import { momentParis } from '../platform/dates.ts';

// One monitoring sheet: what it follows, its measures with the rate as declared and as Pilotis computes
// it, the analyses, its history; the entry form for whoever fills it in, the direction's decisions.

const DOCUMENTS: Record<string, string> = { '004': 'Bilan 2015', '002': 'Contrat de ville' };
const nomDocument = (document: string) => (DOCUMENTS[document] ? `${DOCUMENTS[document]} (document ${document})` : `Document ${document}`);
/** "Bilan 2015 (document 004), l. 2461-2463". */
export function sourceDocument(document: string, lignes: readonly number[]): string {
  return lignes.length ? `${nomDocument(document)}, l. ${plagesLignes(lignes)}` : nomDocument(document);
}

const ETAPES_PASSEES: Record<string, string> = {
  soumettre: 'Soumise à la direction de projet',
  valider: 'Validée',
  renvoyer: 'Renvoyée pour correction',
  rouvrir: 'Saisie rouverte',
};

export type FicheAffichee = FicheComplete & { evenements: EvenementRow[] };

export function FichePage(props: {
  campagne: CampagneRow;
  fiche: FicheAffichee;
  organisation: string;
  /** The person follows the campaign in progress: history, comments, who saved last. */
  suivi: boolean;
  saisie: EtatSaisie | null;
  /** The labels of the form's fields, for its error summary. */
  libelles: Record<string, string>;
  decision: EtatDecision | null;
  csrf: string;
}) {
  const { campagne: c, fiche: f, saisie, decision } = props;
  const commentaire = props.suivi && f.statut === 'renvoyee' && f.commentaire;
  return (
    <>
      <FilAriane miettes={[{ label: 'Suivi des engagements', href: '/suivi' }, { label: `Campagne ${c.annee}`, href: hrefCampagne(c.annee) }, { label: `Fiche n° ${f.numero}` }]} />
      <h1>
        Fiche n° {f.numero} — {f.titre}
      </h1>
      {saisie && <ErrorSummary errors={saisie.errors} labels={props.libelles} />}
      {decision && <ErrorSummary errors={decision.errors} labels={LIBELLES_DECISION} />}
      {saisie && (saisie.conflit || saisie.refus) && <ConflitSaisie saisie={saisie} fiche={f} />}
      <dl class="details">
        <dt>Statut</dt>
        <dd>
          <BadgeStatut statut={f.statut} />
        </dd>
        <dt>Organisation ou service</dt>
        <dd>{props.organisation}</dd>
        {(
          [
            ['Axe', f.axe],
            ['Thématique', f.thematique],
            ['Objectif', f.objectif],
            ['Indicateur', f.indicateur],
            ['Services', f.services],
            ['Date de mise à jour', f.dateMiseAJour],
          ] as const
        ).map(([dt, dd]) => (
          <>
            <dt>{dt}</dt>
            <dd>{dd ?? 'Non renseigné'}</dd>
          </>
        ))}
        {f.source && (
          <>
            <dt>Source</dt>
            <dd>
              {nomDocument(f.source.document)}, l. {f.source.plage[0]}-{f.source.plage[1]}
            </dd>
          </>
        )}
        {props.suivi && f.version > 1 && f.modifiePar && (
          <>
            <dt>Dernier enregistrement</dt>
            <dd>
              {momentParis(f.modifieLe)}, par {f.modifiePar}
            </dd>
          </>
        )}
      </dl>
      {commentaire && (
        <div class="notice notice-warning" role="note" aria-labelledby="titre-commentaire">
          <p id="titre-commentaire">
            <strong>Commentaire de la direction de projet :</strong>
          </p>
          <p>{commentaire}</p>
        </div>
      )}
      <Mesures fiche={f} />
      <section aria-labelledby="titre-analyse">
        <h2 id="titre-analyse">Analyse</h2>
        {CHAMPS_TEXTE.map((champ) => (
          <>
            <h3>{LIBELLES_TEXTE[champ]}</h3>
            <p>{f[champ] ?? 'Non renseigné.'}</p>
          </>
        ))}
      </section>
      {saisie && <SaisieFormulaire campagne={c} fiche={f} saisie={saisie} csrf={props.csrf} />}
      {decision && <DecisionDirection campagne={c} fiche={f} decision={decision} csrf={props.csrf} />}
      {props.suivi && <Historique evenements={f.evenements} />}
    </>
  );
}

function TauxCalcule(props: { m: MesureRow }) {
  const { m } = props;
  return (
    <>
      {m.tauxCalcule === null ? 'Pas de taux' : formatTaux(m.tauxCalcule)}
      <br />
      <small>Formule : {m.formule ?? '—'}</small>
      {m.raison && (
        <>
          <br />
          <small>{m.raison}</small>
        </>
      )}
    </>
  );
}

/** What Pilotis flags on the sheet, shown before the table so that no one has to scroll sideways to find it. */
function AlertesFiche(props: { fiche: FicheComplete }) {
  const signalees = props.fiche.mesures.filter((m) => m.alertes.length > 0);
  if (!signalees.length) return null;
  return (
    <div class="notice notice-warning" role="note" aria-labelledby="titre-alertes-fiche">
      <h2 id="titre-alertes-fiche">À vérifier sur cette fiche</h2>
      <ul>
        {signalees.flatMap((m) =>
          m.alertes.map((a) => (
            <li>
              {nomMesure(m)} : {a.message}
            </li>
          )),
        )}
      </ul>
    </div>
  );
}

/** The result as printed or typed, with what qualifies it: its date, provisional or final (when entered in Pilotis), its scope. */
function Resultat(props: { m: FicheComplete['mesures'][number] }) {
  const { m } = props;
  const imprime = Boolean(m.lignes?.length);
  const precisions = [
    m.dateResultat,
    m.resultat && !imprime ? (m.provisoire ? 'provisoire' : 'définitif') : null,
    m.perimetre ? `périmètre : ${LIBELLES_PERIMETRE[m.perimetre as keyof typeof LIBELLES_PERIMETRE] ?? m.perimetre}` : null,
  ].filter(Boolean);
  return (
    <>
      {m.resultat ?? 'Non renseigné'}
      {precisions.length > 0 && (
        <>
          <br />
          <small>{precisions.join(' · ')}</small>
        </>
      )}
    </>
  );
}

function Mesures(props: { fiche: FicheComplete }) {
  const { fiche: f } = props;
  // The columns as the sheet prints them: in some 2015 sheets the first one is already the year's result.
  const imprimees = (f.colonnes ?? '').split('|').map((c) => c.trim());
  const colonnes = imprimees.length === 4 && imprimees.every(Boolean) ? imprimees : ['Référence', 'Cible', 'Résultat', 'Taux de réalisation'];
  return (
    <>
      <AlertesFiche fiche={f} />
      <TableWrap label="Mesures de la fiche">
        <table>
          <caption>Mesures de la fiche : le taux déclaré tel qu’il est écrit, le taux calculé par Pilotis à côté</caption>
          <thead>
            <tr>
              <th scope="col">Mesure</th>
              <th scope="col">{colonnes[0]}</th>
              <th scope="col">{colonnes[1]}</th>
              <th scope="col">{colonnes[2]}</th>
              <th scope="col">{colonnes[3]} (déclaré)</th>
              <th scope="col">Taux calculé par Pilotis</th>
              <th scope="col">Alertes</th>
            </tr>
          </thead>
          <tbody>
            {f.mesures.map((m) => (
              <tr>
                <th scope="row">
                  {nomMesure(m)}
                  <br />
                  <small>{LIBELLES_NATURE[m.nature as NatureCible] ?? m.nature}</small>
                  {m.lignes?.length ? (
                    <>
                      <br />
                      <small class="source">{sourceDocument(f.source?.document ?? '004', m.lignes)}</small>
                    </>
                  ) : null}
                  {m.note && (
                    <>
                      <br />
                      <small>{m.note}</small>
                    </>
                  )}
                </th>
                <td>{m.reference ?? '—'}</td>
                <td>{m.cible ?? '—'}</td>
                <td>
                  <Resultat m={m} />
                </td>
                <td>{m.tauxDeclare ?? '—'}</td>
                <td>
                  <TauxCalcule m={m} />
                </td>
                <td>{m.alertes.length ? `${m.alertes.length} (voir ci-dessus)` : 'Aucune'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}

function Historique(props: { evenements: EvenementRow[] }) {
  return (
    <section aria-labelledby="titre-historique">
      <h2 id="titre-historique">Historique</h2>
      {props.evenements.length === 0 ? (
        <p>Aucune étape pour l’instant : la fiche n’a pas encore été soumise.</p>
      ) : (
        <ol>
          {props.evenements.map((e) => (
            <li>
              {momentParis(e.le)} — {ETAPES_PASSEES[e.etape] ?? e.etape} par {e.par} ({LIBELLES_STATUT[e.de as StatutFiche] ?? e.de} →{' '}
              {LIBELLES_STATUT[e.vers as StatutFiche] ?? e.vers}){e.commentaire && <> : « {e.commentaire} »</>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
