import { NomAssociation } from './association-nom.tsx';
import { BarChart } from '../platform/ui/bar-chart.tsx';
import { CsrfField, ErrorSummary, SelectField, TextField, type Option } from '../platform/ui/forms.tsx';
import { TableWrap } from '../platform/ui/table.tsx';
import { STATUTS_COMITE, type FiltresComite, type FinanceurComite, type LigneComite, type Totaux, type TotauxComite, type ErreursDecisions } from './comite-model.ts';
import { euros, LIBELLES_STATUT_DOSSIER } from './model.ts';

// The committee's page: filters, each funder's envelope (chart and its table), the table of files as
// the batch-decision form, then the totals per QPV, axe and thématique of the files shown.

export const hrefProgrammation = (annee: number) => `/appels-a-projets/${annee}/programmation`;

export type SaisieComite = { choisis: Set<string>; montants: Record<string, string>; motif: string; erreurs: ErreursDecisions };

export type PageComiteProps = {
  campagne: { annee: number; titre: string };
  financeurs: FinanceurComite[];
  lignes: LigneComite[];
  totaux: TotauxComite;
  filtres: FiltresComite;
  options: { qpv: Option[]; axes: Option[]; thematiques: Option[] };
  nomsTerritoires: Map<string, string>;
  nomsAxes: Map<string, string>;
  /** The query string of the filters, kept across a decision and given to the XLSX link. */
  requete: string;
  saisie: SaisieComite | null;
};

const pluriel = (n: number, mot: string) => `${n} ${mot}${n > 1 ? 's' : ''}`;
const montant = (c: number | null | undefined) => (c === null || c === undefined ? '—' : euros(c));

export function PageComite(props: PageComiteProps & { csrf: string }) {
  const { campagne: c } = props;
  const xlsx = `${hrefProgrammation(c.annee)}.xlsx${props.requete ? `?${props.requete}` : ''}`;
  return (
    <>
      <h1>Comité de programmation {c.annee}</h1>
      <p class="lead">
        {c.titre} : les dossiers soumis au comité, les montants demandés, proposés par l’instruction et accordés, au regard de l’enveloppe de chaque
        financeur.
      </p>
      <p>
        <a href={`/appels-a-projets/${c.annee}`}>Page de l’appel à projets</a> · <a href={xlsx}>Télécharger le tableau et les totaux (XLSX)</a>
      </p>
      <Filtres {...props} />
      <Enveloppes totaux={props.totaux} />
      <Decisions {...props} />
      <TotauxPar id="totaux-qpv" titre="Totaux par quartier" entete="Quartier" totaux={props.totaux.parQpv} noms={props.nomsTerritoires} note="Un dossier qui agit dans plusieurs quartiers compte dans le total de chacun : la somme de ces lignes peut dépasser le total des financeurs, qui le compte une fois." />
      <TotauxPar id="totaux-axe" titre="Totaux par axe du contrat" entete="Axe" totaux={props.totaux.parAxe} noms={props.nomsAxes} note="L’axe d’un dossier est celui du premier objectif du contrat qu’il sert." />
      <TotauxPar id="totaux-thematique" titre="Totaux par thématique" entete="Thématique" totaux={props.totaux.parThematique} noms={new Map()} note={null} />
    </>
  );
}

function Filtres(props: PageComiteProps) {
  const f = props.filtres;
  return (
    <form method="get" action={hrefProgrammation(props.campagne.annee)} class="filters" role="search" aria-label="Filtrer les dossiers" novalidate>
      <fieldset class="field">
        <legend>Statuts</legend>
        {STATUTS_COMITE.map((s) => (
          <div class="field-checkbox">
            <input type="checkbox" id={`champ-statut-${s}`} name="statut" value={s} checked={f.statuts.includes(s)} />
            <label for={`champ-statut-${s}`}>{LIBELLES_STATUT_DOSSIER[s]}</label>
          </div>
        ))}
      </fieldset>
      <SelectField name="financeur" label="Financeur" value={f.financeur} placeholder="Tous" options={props.financeurs.map((x) => ({ value: x.id, label: x.nom }))} errors={{}} />
      <SelectField name="qpv" label="Quartier" value={f.qpv} placeholder="Tous" options={props.options.qpv} errors={{}} />
      <SelectField name="axe" label="Axe du contrat" value={f.axe} placeholder="Tous" options={props.options.axes} errors={{}} />
      <SelectField name="thematique" label="Thématique" value={f.thematique} placeholder="Toutes" options={props.options.thematiques} errors={{}} />
      <TextField name="texte" label="Référence, association ou titre" value={f.texte} errors={{}} />
      <button type="submit" class="button button-secondary">
        Filtrer
      </button>
    </form>
  );
}

function Enveloppes(props: { totaux: TotauxComite }) {
  const t = props.totaux.parFinanceur;
  return (
    <section aria-labelledby="titre-enveloppes">
      <h2 id="titre-enveloppes">Enveloppes des financeurs</h2>
      {t
        .filter((x) => x.depassement > 0 || x.depassementSiPropositions > 0)
        .map((x) => (
          <div class="notice notice-warning" role="note">
            <p>
              <strong>{x.financeur.nom} : </strong>
              {x.depassement > 0
                ? `les montants accordés (${euros(x.accordeCampagne)}) dépassent l’enveloppe de ${euros(x.enveloppe)} de ${euros(x.depassement)}.`
                : `si les propositions en attente (${euros(x.proposeEnAttente)}) étaient accordées, l’enveloppe de ${euros(x.enveloppe)} serait dépassée de ${euros(x.depassementSiPropositions)}.`}
            </p>
          </div>
        ))}
      <figure class="graphique">
        <BarChart
          id="graphique-enveloppes"
          title="Montants accordés et enveloppe, par financeur"
          description={`Deux barres par financeur, l’enveloppe puis le montant accordé sur toute la campagne : ${t.map((x) => `${x.financeur.nom}, enveloppe ${euros(x.enveloppe)}, accordé ${euros(x.accordeCampagne)}`).join(' ; ')}. Le tableau qui suit donne les mêmes chiffres.`}
          bars={t.flatMap((x) => [
            { label: `${x.financeur.nom} : enveloppe`, value: x.enveloppe / 100, text: euros(x.enveloppe) },
            { label: `${x.financeur.nom} : accordé`, value: x.accordeCampagne / 100, text: euros(x.accordeCampagne) },
          ])}
        />
        <figcaption>Chaque barre porte son montant ; le tableau ci-dessous donne les mêmes chiffres.</figcaption>
      </figure>
      <TableWrap label="Tableau des enveloppes par financeur">
        <table id="totaux-financeurs">
          <caption>Enveloppes par financeur — montants des dossiers affichés et de toute la campagne</caption>
          <thead>
            <tr>
              <th scope="col">Financeur</th>
              <th scope="col" class="number">Dossiers affichés</th>
              <th scope="col" class="number">Demandé</th>
              <th scope="col" class="number">Proposé</th>
              <th scope="col" class="number">Accordé (affichés)</th>
              <th scope="col" class="number">Enveloppe</th>
              <th scope="col" class="number">Accordé (campagne)</th>
              <th scope="col" class="number">Reste</th>
              <th scope="col" class="number">Propositions en attente</th>
            </tr>
          </thead>
          <tbody>
            {t.map((x) => (
              <tr>
                <th scope="row">{x.financeur.nom}</th>
                <td class="number">{x.dossiers}</td>
                <td class="number">{euros(x.demande)}</td>
                <td class="number">{euros(x.propose)}</td>
                <td class="number">{euros(x.accorde)}</td>
                <td class="number">{euros(x.enveloppe)}</td>
                <td class="number">{euros(x.accordeCampagne)}</td>
                <td class="number">
                  {euros(x.reste)}
                  {x.depassement > 0 && (
                    <>
                      {' '}
                      <span class="badge badge-danger">Dépassement</span>
                    </>
                  )}
                </td>
                <td class="number">{euros(x.proposeEnAttente)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}

function Decisions(props: PageComiteProps & { csrf: string }) {
  const { lignes, financeurs, saisie } = props;
  const erreurs = saisie?.erreurs ?? {};
  const proposees = lignes.filter((l) => l.statut === 'propose');
  const labels: Record<string, string> = { motif: 'Motif' };
  for (const l of lignes) {
    labels[`d-${l.id}`] = `Dossier ${l.reference}`;
    for (const f of financeurs) {
      const m = l.montants[f.id];
      if (m) labels[`a-${m.financementId}`] = `Accordé par ${f.nom}, dossier ${l.reference}`;
    }
  }
  return (
    <section aria-labelledby="titre-dossiers">
      <h2 id="titre-dossiers">Dossiers</h2>
      <p role="status">{pluriel(lignes.length, 'dossier')} correspondant aux filtres.</p>
      <form method="post" action={`${hrefProgrammation(props.campagne.annee)}/decisions`} novalidate>
        <CsrfField token={props.csrf} />
        <input type="hidden" name="retour" value={props.requete} />
        <ErrorSummary errors={erreurs} labels={labels} />
        {lignes.length > 0 && (
          <TableWrap label="Tableau de programmation">
            <table id="tableau-programmation">
              <caption>Dossiers de la campagne {props.campagne.annee} — montants par financeur</caption>
              <thead>
                <tr>
                  <td rowSpan={2}></td>
                  <th scope="col" rowSpan={2}>Référence</th>
                  <th scope="col" rowSpan={2}>Association</th>
                  <th scope="col" rowSpan={2}>Titre</th>
                  <th scope="col" rowSpan={2}>Statut</th>
                  <th scope="col" rowSpan={2}>Quartiers</th>
                  <th scope="col" rowSpan={2}>Axe</th>
                  <th scope="col" rowSpan={2}>Thématique</th>
                  {financeurs.map((f) => (
                    <th scope="colgroup" colSpan={3}>
                      {f.nom}
                    </th>
                  ))}
                </tr>
                <tr>
                  {financeurs.map(() => (
                    <>
                      <th scope="col" class="number">Demandé</th>
                      <th scope="col" class="number">Proposé</th>
                      <th scope="col" class="number">Accordé</th>
                    </>
                  ))}
                </tr>
              </thead>
              <tbody>
                {lignes.map((l) => (
                  <Ligne l={l} props={props} />
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        <p class="hint">
          Un dossier qui agit dans plusieurs quartiers figure une fois dans ce tableau et dans les totaux par financeur, mais compte dans le total de
          chacun de ses quartiers (plus bas).
        </p>
        {proposees.length > 0 ? (
          <fieldset>
            <legend>Décider pour les dossiers sélectionnés</legend>
            <p class="hint">
              Cochez les dossiers proposés au comité. Pour les accepter, vérifiez le montant accordé par chaque financeur (prérempli avec le montant
              proposé) ; un refus met les montants accordés à 0. Si un seul dossier ne peut pas être décidé, aucun ne l’est.
            </p>
            <div class={erreurs.motif ? 'field field-error' : 'field'}>
              <label for="champ-motif">Motif de la décision</label>
              <p class="hint" id="aide-motif">Obligatoire pour un refus : il figure sur la lettre envoyée à l’association.</p>
              {erreurs.motif && (
                <p class="error-message" id="erreur-motif">
                  <span class="visually-hidden">Erreur : </span>
                  {erreurs.motif}
                </p>
              )}
              <textarea id="champ-motif" name="motif" maxLength={2000} aria-describedby={erreurs.motif ? 'aide-motif erreur-motif' : 'aide-motif'} aria-invalid={erreurs.motif ? 'true' : undefined}>
                {saisie?.motif ?? ''}
              </textarea>
            </div>
            <div class="actions">
              <button type="submit" name="decision" value="accepter" class="button">
                Accepter la sélection
              </button>{' '}
              <button type="submit" name="decision" value="refuser" class="button button-danger">
                Refuser la sélection
              </button>
            </div>
          </fieldset>
        ) : (
          <p>Aucun dossier affiché n’attend la décision du comité.</p>
        )}
      </form>
    </section>
  );
}

function Ligne(props: { l: LigneComite; props: PageComiteProps }) {
  const { l } = props;
  const { financeurs, nomsTerritoires, nomsAxes, saisie } = props.props;
  const erreurs = saisie?.erreurs ?? {};
  const decidable = l.statut === 'propose';
  const erreurDossier = erreurs[`d-${l.id}`];
  return (
    <tr>
      <td id={!decidable && erreurDossier ? `champ-d-${l.id}` : undefined}>
        {decidable && (
          <>
            <input type="hidden" name={`v-${l.id}`} value={String(l.version)} />
            <input type="checkbox" id={`champ-d-${l.id}`} name="dossiers" value={l.id} checked={saisie?.choisis.has(l.id) ?? false} aria-invalid={erreurDossier ? 'true' : undefined} aria-describedby={erreurDossier ? `erreur-d-${l.id}` : undefined} />
            <label for={`champ-d-${l.id}`} class="visually-hidden">
              Sélectionner le dossier {l.reference}
            </label>
          </>
        )}
        {erreurDossier && (
          <p class="error-message" id={`erreur-d-${l.id}`}>
            <span class="visually-hidden">Erreur : </span>
            {erreurDossier}
          </p>
        )}
      </td>
      <th scope="row">
        <a href={`/dossiers/${l.id}`}>{l.reference}</a>
      </th>
      <td>
        <NomAssociation a={l.association} />
      </td>
      <td>{l.titre}</td>
      <td>{LIBELLES_STATUT_DOSSIER[l.statut]}</td>
      <td>{l.territoireIds.map((id) => nomsTerritoires.get(id) ?? 'Quartier inconnu').join(', ') || '—'}</td>
      {/* The axe's number only, to keep the amounts in view: its label is in the filter and the axe totals. */}
      <td>{l.axe ? <abbr title={nomsAxes.get(l.axe) ?? `Axe ${l.axe}`}>Axe {l.axe}</abbr> : '—'}</td>
      <td>{l.thematique ?? '—'}</td>
      {financeurs.map((f) => {
        const m = l.montants[f.id];
        if (!m) return <td class="number" colSpan={3}>Rien demandé</td>;
        const nom = `a-${m.financementId}`;
        const erreur = erreurs[nom];
        return (
          <>
            <td class="number">{montant(m.demande)}</td>
            <td class="number">{montant(m.propose)}</td>
            <td class="number">
              {decidable ? (
                <>
                  <label for={`champ-${nom}`} class="visually-hidden">
                    Montant accordé par {f.nom} au dossier {l.reference}, en euros
                  </label>
                  {erreur && (
                    <p class="error-message" id={`erreur-${nom}`}>
                      <span class="visually-hidden">Erreur : </span>
                      {erreur}
                    </p>
                  )}
                  <input type="text" inputMode="decimal" id={`champ-${nom}`} name={nom} size={10} value={saisie?.montants[m.financementId] ?? enSaisie(m.propose ?? m.demande)} aria-invalid={erreur ? 'true' : undefined} aria-describedby={erreur ? `erreur-${nom}` : undefined} />
                </>
              ) : (
                montant(m.accorde)
              )}
            </td>
          </>
        );
      })}
    </tr>
  );
}

/** An amount as a person would type it back: "1500" or "1500,50". */
export function enSaisie(c: number): string {
  return c % 100 === 0 ? String(c / 100) : (c / 100).toFixed(2).replace('.', ',');
}

function TotauxPar(props: { id: string; titre: string; entete: string; totaux: Map<string, Totaux>; noms: Map<string, string>; note: string | null }) {
  const lignes = [...props.totaux].map(([cle, t]) => ({ libelle: cle ? (props.noms.get(cle) ?? cle) : 'Non renseigné', t })).sort((a, b) => a.libelle.localeCompare(b.libelle, 'fr'));
  return (
    <section aria-labelledby={`titre-${props.id}`}>
      <h2 id={`titre-${props.id}`}>{props.titre}</h2>
      {lignes.length === 0 ? (
        <p>Aucun dossier affiché.</p>
      ) : (
        <TableWrap label={`Tableau : ${props.titre.toLowerCase()}`}>
          <table id={props.id}>
            <caption>{props.titre} — dossiers affichés, tous financeurs de la campagne</caption>
            <thead>
              <tr>
                <th scope="col">{props.entete}</th>
                <th scope="col" class="number">Dossiers</th>
                <th scope="col" class="number">Demandé</th>
                <th scope="col" class="number">Proposé</th>
                <th scope="col" class="number">Accordé</th>
              </tr>
            </thead>
            <tbody>
              {lignes.map(({ libelle, t }) => (
                <tr>
                  <th scope="row">{libelle}</th>
                  <td class="number">{t.dossiers}</td>
                  <td class="number">{euros(t.demande)}</td>
                  <td class="number">{euros(t.propose)}</td>
                  <td class="number">{euros(t.accorde)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {props.note && <p class="hint">{props.note}</p>}
    </section>
  );
}
