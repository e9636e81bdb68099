import { BarChart } from '../platform/ui/bar-chart.tsx';
import { TableWrap } from '../platform/ui/table.tsx';
import { formatTaux } from './model.ts';
import { refMesure, type Bilan, type Groupe } from './bilan-model.ts';
import { CALCULE, CALCULES, chiffresCles } from './bilan-export.ts';
import { BadgeStatut, FilAriane, hrefCampagne, hrefFiche, jourFr, hrefBilan } from './campagne-views.tsx';
export { hrefBilan };

// The bilan page of a campaign: key figures, where computed rates fall (chart then its table), the
// counts per axe, thématique and service, the flagged measures, the partners' alert points quoted, and
// the declared rates set against the computed ones. Every figure the sheets print is shown as printed.

export type BilanPageProps = {
  bilan: Bilan;
  contrat: string;
  /** Those who follow the campaign see sheets not validated yet; the public sees validated sheets only. */
  interne: boolean;
  publiee: boolean;
  echeance: string | null;
  perimetre: string | null;
  /** Where each alert point is printed, by sheet number. */
  sources: Map<number, string>;
};

const taux = (n: number | null) => (n === null ? '—' : formatTaux(n));
const pluriel = (n: number, mot: string) => `${n.toLocaleString('fr-FR')} ${mot}${n > 1 ? 's' : ''}`;

function TableGroupes(props: { id: string; caption: string; entete: string; groupes: readonly Groupe[] }) {
  return (
    <TableWrap label={props.caption}>
      <table id={props.id}>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.entete}</th>
            <th scope="col" class="number">
              Fiches
            </th>
            <th scope="col" class="number">
              Mesures
            </th>
            <th scope="col" class="number">
              Avec un taux calculé
            </th>
            <th scope="col" class="number">
              Taux médian ({CALCULE})
            </th>
            <th scope="col" class="number">
              Mesures signalées
            </th>
          </tr>
        </thead>
        <tbody>
          {props.groupes.map((g) => (
            <tr>
              <th scope="row">
                {g.libelle}
                {g.variantes.length > 0 && (
                  <>
                    <br />
                    <span class="source">Aussi imprimé : {g.variantes.map((v) => `« ${v} »`).join(', ')}</span>
                  </>
                )}
              </th>
              <td class="number">{g.fiches}</td>
              <td class="number">{g.mesures}</td>
              <td class="number">{g.avecTaux}</td>
              <td class="number">{taux(g.tauxMedian)}</td>
              <td class="number">{g.signalees}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function Repartition(props: { b: Bilan }) {
  const { b } = props;
  return (
    <section aria-labelledby="titre-repartition">
      <h2 id="titre-repartition">Répartition des taux de réalisation</h2>
      <p>
        Pour chaque mesure chiffrée, Pilotis calcule le taux de réalisation à partir de la cible et du résultat, selon la nature de la cible. Le
        taux déclaré par le partenaire reste affiché tel qu’imprimé, à côté.
      </p>
      <figure class="graphique">
        <BarChart
          id="graphique-repartition"
          title={`Répartition des ${b.chiffres.mesures} mesures selon leur taux de réalisation ${CALCULE}`}
          description={`Barres horizontales, une par tranche de taux : ${b.repartition.map((t) => `${t.libelle.toLowerCase()}, ${pluriel(t.mesures, 'mesure')}`).join(' ; ')}. Le tableau qui suit donne les mêmes chiffres.`}
          bars={b.repartition.map((t) => ({ label: t.libelle, value: t.mesures, text: pluriel(t.mesures, 'mesure') }))}
        />
        <figcaption>Chaque barre porte son nombre de mesures ; le tableau ci-dessous donne les mêmes chiffres.</figcaption>
      </figure>
      <TableComptes id="tableau-repartition" label="Tableau de la répartition des taux" caption={`Répartition des taux de réalisation ${CALCULES} — tableau`} titre="Taux de réalisation" lignes={b.repartition} />
    </section>
  );
}

/** A count of measures per label (a band of rates, a reason for a flag): the data behind a chart or a list. */
function TableComptes(props: { id?: string; label: string; caption: string; titre: string; lignes: { libelle: string; mesures: number }[] }) {
  return (
    <TableWrap label={props.label}>
      <table id={props.id}>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.titre}</th>
            <th scope="col" class="number">
              Mesures
            </th>
          </tr>
        </thead>
        <tbody>
          {props.lignes.map((l) => (
            <tr>
              <th scope="row">{l.libelle}</th>
              <td class="number">{l.mesures}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function Signalees(props: { b: Bilan }) {
  const { b } = props;
  return (
    <section aria-labelledby="titre-signalees">
      <h2 id="titre-signalees">Mesures signalées</h2>
      <p>Pilotis signale les mesures dont les chiffres méritent un second regard. Une mesure peut l’être pour plusieurs motifs.</p>
      <TableComptes label="Mesures signalées, par motif" caption="Mesures signalées, par motif" titre="Motif" lignes={b.alertesParCode} />
      {b.signalees.length === 0 ? (
        <p>Aucune mesure n’est signalée.</p>
      ) : (
        <TableWrap label="Les mesures signalées">
          <table id="tableau-signalees">
            <caption>Les {pluriel(b.signalees.length, 'mesure')} signalée{b.signalees.length > 1 ? 's' : ''}</caption>
            <thead>
              <tr>
                <th scope="col">Fiche</th>
                <th scope="col">Titre</th>
                <th scope="col">Alertes</th>
              </tr>
            </thead>
            <tbody>
              {b.signalees.map((s) => (
                <tr>
                  <th scope="row">
                    <a href={hrefFiche(b.annee, s.numero)}>Fiche n° {refMesure(s.numero, s.mesure)}</a>
                  </th>
                  <td>{s.titre}</td>
                  <td>
                    <ul class="plain-list">
                      {s.mesure.alertes.map((a) => (
                        <li>{a.message}</li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}

function PointsAlerte(props: { b: Bilan; sources: Map<number, string> }) {
  const { b } = props;
  return (
    <section aria-labelledby="titre-points">
      <h2 id="titre-points">Points d’alerte des partenaires</h2>
      {b.pointsAlerte.length === 0 ? (
        <p>Aucune fiche ne signale de point d’alerte.</p>
      ) : (
        <>
          <p>{pluriel(b.pointsAlerte.length, 'fiche')} signalent un point d’alerte, cité tel que la fiche l’écrit.</p>
          {b.pointsAlerte.map((p) => (
            <figure class="card">
              <blockquote>
                <p>{p.texte}</p>
              </blockquote>
              <figcaption>
                <a href={hrefFiche(b.annee, p.numero)}>
                  Fiche n° {p.numero} — {p.titre}
                </a>
                <br />
                <span class="source">{props.sources.get(p.numero) ?? 'Saisie dans Pilotis'}</span>
              </figcaption>
            </figure>
          ))}
        </>
      )}
    </section>
  );
}

function Comparaisons(props: { b: Bilan }) {
  const { b } = props;
  const divergent = b.comparaisons.filter((c) => !c.concorde).length;
  return (
    <section aria-labelledby="titre-comparaisons">
      <h2 id="titre-comparaisons">Taux déclarés et taux {CALCULES}</h2>
      {b.comparaisons.length === 0 ? (
        <p>Aucune mesure n’a à la fois un taux déclaré et un taux calculé.</p>
      ) : (
        <>
          <p>
            {pluriel(b.comparaisons.length, 'mesure')} ont à la fois un taux déclaré et un taux calculé : {divergent === 0 ? 'tous concordent' : `${divergent} diverge${divergent > 1 ? 'nt' : ''} d’un point ou plus`}.
          </p>
          <TableWrap label="Taux déclarés et taux calculés">
            <table id="tableau-comparaisons">
              <caption>Taux déclarés et taux {CALCULES}</caption>
              <thead>
                <tr>
                  <th scope="col">Fiche</th>
                  <th scope="col">Titre</th>
                  <th scope="col" class="number">
                    Taux déclaré (tel qu’imprimé)
                  </th>
                  <th scope="col" class="number">
                    Taux {CALCULE}
                  </th>
                  <th scope="col" class="number">
                    Écart
                  </th>
                </tr>
              </thead>
              <tbody>
                {b.comparaisons.map((c) => (
                  <tr>
                    <th scope="row">
                      <a href={hrefFiche(b.annee, c.numero)}>Fiche n° {refMesure(c.numero, c.mesure)}</a>
                    </th>
                    <td>{c.titre}</td>
                    <td class="number">{c.mesure.tauxDeclare}</td>
                    <td class="number">{formatTaux(c.calcule)}</td>
                    <td class="number">
                      {c.ecart > 0 ? '+' : ''}
                      {c.ecart.toLocaleString('fr-FR')} pt{c.concorde ? '' : <strong> — divergent</strong>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </section>
  );
}

function EnCours(props: { b: Bilan; echeance: string | null }) {
  const { b } = props;
  return (
    <section aria-labelledby="titre-en-cours">
      <h2 id="titre-en-cours">Fiches non validées</h2>
      {b.enCours.length === 0 ? (
        <p>Toutes les fiches sont validées.</p>
      ) : (
        <TableWrap label="Fiches non validées">
          <table id="tableau-en-cours">
            <caption>
              {pluriel(b.enCours.length, 'fiche')} non validée{b.enCours.length > 1 ? 's' : ''} — échéance : {jourFr(props.echeance)}
            </caption>
            <thead>
              <tr>
                <th scope="col">Fiche</th>
                <th scope="col">Service</th>
                <th scope="col">Statut</th>
                <th scope="col">Retard</th>
              </tr>
            </thead>
            <tbody>
              {b.enCours.map((f) => (
                <tr>
                  <th scope="row">
                    <a href={hrefFiche(b.annee, f.numero)}>
                      Fiche n° {f.numero} — {f.titre}
                    </a>
                  </th>
                  <td>{f.service ?? 'Non renseigné'}</td>
                  <td>
                    <BadgeStatut statut={f.statut} />
                  </td>
                  <td>{f.enRetard ? <strong>En retard : échéance passée, non soumise</strong> : 'Non'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}

export function BilanPage(props: BilanPageProps) {
  const { bilan: b } = props;
  return (
    <>
      <FilAriane miettes={[{ label: 'Suivi des engagements', href: '/suivi' }, { label: `Campagne ${b.annee}`, href: hrefCampagne(b.annee) }, { label: 'Bilan' }]} />
      <h1>Bilan {b.annee} de la mobilisation du droit commun</h1>
      <p class="lead">
        {props.contrat} : {pluriel(b.chiffres.fiches, 'fiche')} de suivi, {pluriel(b.chiffres.mesures, 'mesure')}.
      </p>
      {!props.publiee && (
        <div class="notice notice-warning" role="note">
          <p>Ce bilan n’est pas publié : seuls la direction de projet et les agents le voient.</p>
        </div>
      )}
      {props.perimetre && <p>{props.perimetre}</p>}
      <h2 id="titre-telechargements">Télécharger</h2>
      <ul class="actions plain-list" aria-labelledby="titre-telechargements">
        <li>
          <a href={hrefBilan(b.annee, '.pdf')} download>
            Le bilan (PDF)
          </a>
        </li>
        <li>
          <a href={hrefBilan(b.annee, '.docx')} download>
            Le bilan (Word)
          </a>
        </li>
        <li>
          <a href={hrefBilan(b.annee, '.xlsx')} download>
            Le classeur (XLSX)
          </a>
        </li>
        <li>
          <a href={`/suivi/${b.annee}/fiches.csv`} download>
            Les mesures, une ligne chacune (CSV)
          </a>
        </li>
      </ul>

      <section aria-labelledby="titre-chiffres">
        <h2 id="titre-chiffres">Chiffres clés</h2>
        <dl class="details">
          {chiffresCles(b, props.interne).map((c) => (
            <>
              <dt>{c.label}</dt>
              <dd class="chiffre">{c.value.toLocaleString('fr-FR')}</dd>
            </>
          ))}
        </dl>
      </section>

      <Repartition b={b} />

      <section aria-labelledby="titre-groupes">
        <h2 id="titre-groupes">Par axe, par thématique, par service</h2>
        <p>Les fiches sont regroupées sous le libellé qu’elles impriment ; les variantes d’écriture d’un même libellé sont réunies et indiquées.</p>
        <TableGroupes id="tableau-axes" caption="Fiches et mesures par axe du contrat" entete="Axe" groupes={b.parAxe} />
        <TableGroupes id="tableau-thematiques" caption="Fiches et mesures par thématique" entete="Thématique" groupes={b.parThematique} />
        <TableGroupes id="tableau-services" caption="Fiches et mesures par service" entete="Service" groupes={b.parService} />
      </section>

      <Signalees b={b} />
      <PointsAlerte b={b} sources={props.sources} />
      <Comparaisons b={b} />
      {props.interne && <EnCours b={b} echeance={props.echeance} />}
    </>
  );
}
