import type { ComponentChildren } from 'preact';
import { ErrorSummary, TextField, type FieldErrors } from '../platform/ui/forms.tsx';
import { CarteLocalisation } from './geo/carte.tsx';
import type { ZoneIndex } from './geo/index.ts';
import { metres } from './geo/model.ts';
import type { AdresseIntrouvable, Correspondance, Localisation, TerritoireRef } from './geo/types.ts';
import { phraseStatut } from './model.ts';

export { phraseStatut };

// The public lookup page: "is this address in a quartier prioritaire?", its form and its answer.

export const TITRE_RECHERCHE = 'Cette adresse est-elle en quartier prioritaire ?';
export const EXEMPLE_ADRESSE = '12 rue de la Chapelle, 75018 Paris';

export function FormulaireAdresse(props: { valeur?: string | undefined; errors: FieldErrors }) {
  return (
    <form method="get" action="/quartiers/adresse" class="search-form" noValidate>
      <ErrorSummary errors={props.errors} labels={{ adresse: 'Adresse' }} />
      <TextField
        name="adresse"
        label="Adresse"
        hint={`Numéro, voie et code postal, par exemple : ${EXEMPLE_ADRESSE}`}
        value={props.valeur}
        autocomplete="street-address"
        errors={props.errors}
      />
      <button type="submit" class="button">
        Vérifier l’adresse
      </button>
    </form>
  );
}

export function libelleCorrespondance(c: Correspondance): string {
  switch (c.methode) {
    case 'adresse_exacte':
      return 'Adresse exacte de la Base Adresse Nationale';
    case 'adresse_approchee':
      return `Adresse approchée : ${c.raison}`;
    case 'api_ban':
      return `Trouvée par le service national d’adresses (score ${c.score.toLocaleString('fr-FR')})`;
    case 'coordonnees':
      return 'Coordonnées saisies';
  }
}

const territoire = (t: TerritoireRef | null, absent: string) => (t ? `${t.nom} (${t.code})` : absent);
const coordonnees = (p: { lon: number; lat: number }) =>
  `latitude ${p.lat.toLocaleString('fr-FR', { maximumFractionDigits: 6 })}, longitude ${p.lon.toLocaleString('fr-FR', { maximumFractionDigits: 6 })}`;

function Detail(props: { terme: string; children: ComponentChildren }) {
  return (
    <>
      <dt>{props.terme}</dt>
      <dd>{props.children}</dd>
    </>
  );
}

export function Suggestions(props: { suggestions: string[] }) {
  if (!props.suggestions.length) return null;
  return (
    <>
      <p>Vouliez-vous dire :</p>
      <ul>
        {props.suggestions.map((s) => (
          <li>
            <a href={`/quartiers/adresse?adresse=${encodeURIComponent(s)}`}>{s}</a>
          </li>
        ))}
      </ul>
    </>
  );
}

const CLASSE: Record<string, string> = { qpv: 'notice notice-success', hors_qpv: 'notice', incertain: 'notice notice-warning', introuvable: 'notice notice-warning' };

/** The answer panel: the sentence first, then how the address was matched, where it lies, and the map. */
export function Reponse(props: { resultat: Localisation | AdresseIntrouvable; index: ZoneIndex }) {
  const r = props.resultat;
  return (
    <section class="card reponse-localisation" aria-labelledby="reponse-titre">
      <div class={CLASSE[r.statut]} data-statut={r.statut}>
        <h2 id="reponse-titre">{phraseStatut(r)}</h2>
        {r.statut === 'introuvable' && <p>{r.motif}</p>}
      </div>
      {r.statut === 'introuvable' ? (
        <Suggestions suggestions={r.suggestions} />
      ) : (
        <>
          <dl class="details">
            <Detail terme="Adresse retenue">{r.correspondance.methode === 'coordonnees' ? coordonnees(r.point) : r.correspondance.adresse}</Detail>
            <Detail terme="Correspondance">{libelleCorrespondance(r.correspondance)}</Detail>
            <Detail terme="Arrondissement">{territoire(r.arrondissement, 'Aucun arrondissement du contrat')}</Detail>
            <Detail terme="IRIS">{territoire(r.iris, props.index.counts.iris ? 'Aucun IRIS' : 'Contours des IRIS non importés')}</Detail>
            {r.qpvProche && (
              <Detail terme="Limite de quartier la plus proche">
                {`${r.qpvProche.nom} (${r.qpvProche.code}), à ${metres(r.qpvProche.distanceMetres)}`}
              </Detail>
            )}
            <Detail terme="Position">{coordonnees(r.point)}</Detail>
          </dl>
          <CarteLocalisation id="carte-adresse" localisation={r} index={props.index} />
        </>
      )}
    </section>
  );
}

/** Shown instead of an answer while the geography or the addresses are missing. */
export function GeographieAbsente(props: { message: string }) {
  return (
    <div class="notice notice-warning" role="alert">
      <h2>Réponse impossible pour l’instant</h2>
      <p>{props.message}</p>
    </div>
  );
}
