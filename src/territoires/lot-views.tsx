import type { ComponentChildren } from 'preact';
import { CsrfField, ErrorSummary, SelectField, type FieldErrors, type Option } from '../platform/ui/forms.tsx';
import { BarChart } from '../platform/ui/bar-chart.tsx';
import { formatNombreFr, formatPourcent, quartierVecu } from './model.ts';
import { MAX_LIGNES, MAX_OCTETS, type ChoixColonnes, type Resume } from './geo/lot.ts';
import type { Lot } from './lots.ts';

// The pages of a batch: upload, column choice, progress, summary. The uploaded addresses are shown
// to the person who sent them only, and the pages say how long the server keeps them.

export const TITRE_LOT = 'Vérifier un fichier d’adresses';

export function MentionDonnees() {
  return (
    <p class="hint">
      Vos données restent privées : le fichier est lu en mémoire seulement, jamais enregistré dans la base de données ni dans le journal
      d’audit. Il est effacé dès que vous téléchargez le résultat, et au plus tard 15 minutes après son dépôt.
    </p>
  );
}

export function FormulaireDepot(props: { csrf: string; but: string; errors: FieldErrors }) {
  const error = props.errors.fichier;
  return (
    <form method="post" action="/quartiers/adresses/lot" enctype="multipart/form-data" noValidate>
      <ErrorSummary errors={props.errors} labels={{ fichier: 'Fichier CSV' }} />
      <CsrfField token={props.csrf} />
      <input type="hidden" name="but" value={props.but} />
      <div class={error ? 'field field-error' : 'field'}>
        <label for="champ-fichier">Fichier CSV</label>
        <p class="hint" id="aide-fichier">
          Une ligne par personne, avec une ligne de titres de colonnes. Séparateur point-virgule ou virgule, UTF-8 ou encodage Windows
          d’Excel. {MAX_OCTETS / 1024 / 1024} Mo et {formatNombreFr(MAX_LIGNES)} lignes au plus.
        </p>
        {error && (
          <p class="error-message" id="erreur-fichier">
            <span class="visually-hidden">Erreur : </span>
            {error}
          </p>
        )}
        <input
          id="champ-fichier"
          name="fichier"
          type="file"
          accept=".csv,text/csv"
          aria-describedby={error ? 'aide-fichier erreur-fichier' : 'aide-fichier'}
          aria-invalid={error ? 'true' : undefined}
        />
      </div>
      <button type="submit" class="button">
        Envoyer le fichier
      </button>
    </form>
  );
}

export function FormulaireColonnes(props: { lot: Lot; csrf: string; choix: Partial<Record<string, string>>; errors: FieldErrors }) {
  const tableau = props.lot.tableau!;
  const exemple = tableau.lignes[0] ?? [];
  const options: Option[] = tableau.entetes.map((h, i) => ({ value: String(i), label: exemple[i] ? `${h} (ex. : ${exemple[i]})` : h }));
  const mode = props.choix.mode ?? 'complete';
  const labels = { mode: 'Forme de l’adresse', adresse: 'Colonne de l’adresse', voie: 'Colonne de la voie' };
  return (
    <form method="post" action={`/quartiers/adresses/lot/${props.lot.id}/colonnes`} noValidate>
      <ErrorSummary errors={props.errors} labels={labels} />
      <CsrfField token={props.csrf} />
      <fieldset class="field" id="champ-mode">
        <legend>Forme de l’adresse</legend>
        <div class="field-checkbox">
          <input type="radio" id="mode-complete" name="mode" value="complete" checked={mode === 'complete'} />
          <label for="mode-complete">Une colonne contient l’adresse complète</label>
        </div>
        <div class="field-checkbox">
          <input type="radio" id="mode-parties" name="mode" value="parties" checked={mode === 'parties'} />
          <label for="mode-parties">L’adresse est répartie sur plusieurs colonnes (numéro, voie, code postal)</label>
        </div>
      </fieldset>
      <h2>Adresse complète</h2>
      <SelectField name="adresse" label="Colonne de l’adresse" options={options} value={props.choix.adresse} placeholder="Choisir une colonne" errors={props.errors} />
      <h2>Adresse en plusieurs colonnes</h2>
      <SelectField name="numero" label="Colonne du numéro (facultatif)" options={options} value={props.choix.numero} placeholder="Aucune" errors={props.errors} />
      <SelectField name="voie" label="Colonne de la voie" options={options} value={props.choix.voie} placeholder="Choisir une colonne" errors={props.errors} />
      <SelectField name="codePostal" label="Colonne du code postal (facultatif)" options={options} value={props.choix.codePostal} placeholder="Aucune" errors={props.errors} />
      <SelectField name="commune" label="Colonne de la commune (facultatif)" options={options} value={props.choix.commune} placeholder="Aucune" errors={props.errors} />
      <button type="submit" class="button">
        Lancer la vérification
      </button>
    </form>
  );
}

/** The form values of a guess, for the column form's first display. */
export function valeursChoix(choix: ChoixColonnes | null): Partial<Record<string, string>> {
  if (!choix) return {};
  const s = (n: number | null) => (n === null ? '' : String(n));
  return choix.mode === 'complete'
    ? { mode: 'complete', adresse: String(choix.adresse) }
    : { mode: 'parties', numero: s(choix.numero), voie: String(choix.voie), codePostal: s(choix.codePostal), commune: s(choix.commune) };
}

export function Progression(props: { lot: Lot; automatique: boolean }) {
  const total = props.lot.tableau?.lignes.length ?? 0;
  const pourcent = total ? Math.floor((props.lot.traites / total) * 100) : 0;
  return (
    <>
      <p id="progression-texte">
        {`${pourcent} % — ${formatNombreFr(props.lot.traites)} adresses vérifiées sur ${formatNombreFr(total)}.`}
      </p>
      <progress max={total} value={props.lot.traites} aria-labelledby="progression-texte">
        {pourcent} %
      </progress>
      {props.automatique ? (
        <p>
          Cette page se met à jour toute seule toutes les 2 secondes.{' '}
          <a href={`/quartiers/adresses/lot/${props.lot.id}?actualiser=non`}>Arrêter la mise à jour automatique</a>
        </p>
      ) : (
        <p>
          <a href={`/quartiers/adresses/lot/${props.lot.id}?actualiser=non`}>Actualiser la page</a> pour voir l’avancement.
        </p>
      )}
    </>
  );
}

function Ligne(props: { libelle: string; nombre: number; total: number }) {
  return (
    <tr>
      <th scope="row">{props.libelle}</th>
      <td>{formatNombreFr(props.nombre)}</td>
      <td>{props.total ? formatPourcent(props.nombre / props.total) : '—'}</td>
    </tr>
  );
}

function Tableau(props: { id: string; titre: string; entetes: string[]; children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-labelledby={props.id} tabIndex={0}>
      <table>
        <caption id={props.id}>{props.titre}</caption>
        <thead>
          <tr>
            {props.entetes.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

export function Synthese(props: { resume: Resume }) {
  const r = props.resume;
  return (
    <>
      <p class="lead">
        {`${formatPourcent(r.part)} des adresses sont en quartier prioritaire (${formatNombreFr(r.qpv)} sur ${formatNombreFr(r.total)}).`}
        {r.incertains + r.introuvables > 0 &&
          ` En comptant les adresses incertaines et introuvables, la part serait au plus de ${formatPourcent(r.partMax)}.`}
      </p>
      <Tableau id="tableau-statuts" titre="Résultat par statut" entetes={['Statut', 'Adresses', 'Part']}>
        <Ligne libelle="En quartier prioritaire" nombre={r.qpv} total={r.total} />
        <Ligne libelle="Hors quartier prioritaire" nombre={r.horsQpv} total={r.total} />
        <Ligne libelle="Incertaines (près d’une limite ou adresse approchée)" nombre={r.incertains} total={r.total} />
        <Ligne libelle="Introuvables" nombre={r.introuvables} total={r.total} />
        <Ligne libelle="Total" nombre={r.total} total={r.total} />
      </Tableau>
      <h2>Adresses par quartier prioritaire</h2>
      {r.parQpv.length ? (
        <>
          <BarChart
            id="graphique-qpv"
            title="Nombre d’adresses par quartier prioritaire"
            description={`Barres horizontales, une par quartier prioritaire : ${r.parQpv.map((q) => `${q.nom}, ${q.nombre}`).join(' ; ')}. Les mêmes chiffres sont dans le tableau qui suit.`}
            bars={r.parQpv.map((q) => ({ label: `${q.nom} (${q.code})`, value: q.nombre, text: formatNombreFr(q.nombre) }))}
          />
          <Tableau id="tableau-qpv" titre="Adresses par quartier prioritaire" entetes={['Quartier prioritaire', 'Code', 'Adresses', 'Part du fichier']}>
            {r.parQpv.map((q) => (
              <tr>
                <th scope="row">{q.nom}</th>
                <td>{q.code}</td>
                <td>{formatNombreFr(q.nombre)}</td>
                <td>{formatPourcent(q.nombre / r.total)}</td>
              </tr>
            ))}
          </Tableau>
        </>
      ) : (
        <p>Aucune adresse du fichier n’est sûrement en quartier prioritaire.</p>
      )}
    </>
  );
}

const VERDICT: Record<string, { classe: string; titre: string }> = {
  eligible: { classe: 'notice notice-success', titre: 'Quartier vécu : la règle des 50 % est remplie' },
  non_eligible: { classe: 'notice', titre: 'Quartier vécu : la règle des 50 % n’est pas remplie' },
  indetermine: { classe: 'notice notice-warning', titre: 'Quartier vécu : résultat indéterminé' },
};

export function VerdictQuartierVecu(props: { resultat: ReturnType<typeof quartierVecu> }) {
  const v = VERDICT[props.resultat.statut]!;
  return (
    <div class={v.classe} data-verdict={props.resultat.statut}>
      <h2>{v.titre}</h2>
      <p>{props.resultat.explication}</p>
    </div>
  );
}

/** The quartier vécu rule applied to a classified file: the uncertain and unknown addresses are counted apart. */
export function verdictDuResume(r: Resume) {
  return quartierVecu({ parQpv: Object.fromEntries(r.parQpv.map((q) => [q.code, q.nombre])), incertains: r.incertains + r.introuvables, total: r.total });
}
