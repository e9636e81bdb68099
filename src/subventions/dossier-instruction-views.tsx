import { CsrfField } from '../platform/ui/forms.tsx';
import { euros, TRANSITIONS_DOSSIER, type EtapeDossier } from './model.ts';
import { AVIS, avisCourants, LIBELLES_AVIS, libelleAvis, MAX_TEXTE, TEXTE_ETAPE } from './instruction-model.ts';
import { ChampTexte, ChampTexteLong, ChoixRadio, valeursDe, type Saisie } from './dossier-champs.tsx';
import { quand } from './dossier-suivi-views.tsx';
import type { DossierComplet, FinanceurRow } from './store.ts';
import type { AnnotationRow, AvisRow } from './instruction-store.ts';

// What only the instruction team sees of a file: opinions per funder, private annotations, the steps.

/** "4 500,00" from 450000 cents, as the amount field shows it back. */
const saisieMontant = (c: number | null | undefined) => (c === null || c === undefined ? '' : (c / 100).toFixed(2).replace('.', ','));

export function AvisParFinanceur(props: { d: DossierComplet; financeurs: FinanceurRow[]; avis: AvisRow[]; ouvert: boolean; saisie: Saisie | null; csrf: string }) {
  const courants = avisCourants(props.avis);
  // Only funders the association asked something of: an opinion on a funder not asked means nothing.
  const concernes = props.financeurs.filter((f) => props.d.financements.some((l) => l.financeurId === f.id));
  return (
    <section aria-labelledby="titre-avis">
      <h2 id="titre-avis">Avis par financeur</h2>
      {concernes.length === 0 && <p>La demande ne sollicite aucun financeur de l’appel à projets.</p>}
      {concernes.map((f) => {
        const a = courants.get(f.id);
        const ligne = props.d.financements.find((l) => l.financeurId === f.id)!;
        const formulaire = `avis-${f.id}`;
        const v = valeursDe(props.saisie, formulaire);
        const erreurs = props.saisie?.formulaire === formulaire ? props.saisie.erreurs : {};
        return (
          <section class="card" aria-labelledby={`titre-${formulaire}`}>
            <h3 id={`titre-${formulaire}`}>{f.nom}</h3>
            <p>Demandé : {euros(ligne.demandeCentimes)}.</p>
            {a ? (
              <dl class="details">
                <dt>Avis</dt>
                <dd>{libelleAvis(a.avis)}</dd>
                <dt>Montant proposé</dt>
                <dd>{a.proposeCentimes === null ? 'non renseigné' : euros(a.proposeCentimes)}</dd>
                <dt>Commentaire</dt>
                <dd>{a.commentaire || 'aucun'}</dd>
                <dt>Donné par</dt>
                <dd>
                  {a.auteur}, le {quand(a.le)}
                </dd>
              </dl>
            ) : (
              <p>Aucun avis pour l’instant.</p>
            )}
            {props.ouvert && (
            <form method="post" action={`/dossiers/${props.d.id}/avis`} novalidate>
              <CsrfField token={props.csrf} />
              <input type="hidden" name="financeur" value={f.id} />
              <ChoixRadio
                formulaire={formulaire}
                name="avis"
                label={`Avis pour ${f.nom}`}
                options={AVIS.map((x) => ({ value: x, label: LIBELLES_AVIS[x] }))}
                value={v.avis ?? a?.avis}
                erreurs={erreurs}
                required
              />
              <ChampTexte
                formulaire={formulaire}
                name="propose"
                label="Montant proposé, en euros (facultatif)"
                aide="Il devient le montant proposé au comité de programmation pour ce financeur."
                value={v.propose ?? saisieMontant(a?.proposeCentimes ?? ligne.proposeCentimes)}
                erreurs={erreurs}
                inputMode="decimal"
              />
              <ChampTexteLong formulaire={formulaire} name="commentaire" label="Commentaire (facultatif)" value={v.commentaire} erreurs={erreurs} maxLength={MAX_TEXTE} />
              <button type="submit" class="button">
                Enregistrer l’avis pour {f.nom}
              </button>
            </form>
            )}
          </section>
        );
      })}
    </section>
  );
}

export function Annotations(props: { dossierId: string; annotations: AnnotationRow[]; saisie: Saisie | null; csrf: string }) {
  return (
    <section aria-labelledby="titre-annotations">
      <h2 id="titre-annotations">Annotations privées</h2>
      <p class="hint">Visibles de l’équipe d’instruction et de la direction de projet seulement, jamais de l’association.</p>
      {props.annotations.length ? (
        <ul class="plain-list">
          {props.annotations.map((a) => (
            <li class="card">
              <p class="hint">
                {a.auteur}, le {quand(a.le)}
              </p>
              <p>{a.texte}</p>
            </li>
          ))}
        </ul>
      ) : (
        <p>Aucune annotation.</p>
      )}
      <form method="post" action={`/dossiers/${props.dossierId}/annotations`} novalidate>
        <CsrfField token={props.csrf} />
        <ChampTexteLong
          formulaire="annotation"
          name="texte"
          label="Nouvelle annotation"
          value={valeursDe(props.saisie, 'annotation').texte}
          erreurs={props.saisie?.erreurs ?? {}}
          maxLength={MAX_TEXTE}
          required
        />
        <button type="submit" class="button button-secondary">
          Ajouter l’annotation
        </button>
      </form>
    </section>
  );
}

export function Etapes(props: { d: DossierComplet; etapes: EtapeDossier[]; comite: boolean; saisie: Saisie | null; csrf: string }) {
  return (
    <section aria-labelledby="titre-etapes">
      <h2 id="titre-etapes">Étapes</h2>
      {props.comite && (
        <p>
          Le comité de programmation accepte ou refuse ce dossier, avec les montants accordés, sur{' '}
          <a href={`/appels-a-projets/${props.d.campagne.annee}/programmation`}>le tableau de programmation</a>.
        </p>
      )}
      {props.etapes.length === 0 && <p>Aucune étape ne vous est ouverte sur ce dossier dans son état actuel.</p>}
      {props.etapes.map((e) => {
        const texte = TEXTE_ETAPE[e];
        const formulaire = `etape-${e}`;
        return (
          <form method="post" action={`/dossiers/${props.d.id}/etapes/${e}`} class={texte ? 'card' : 'inline-form'} novalidate>
            <CsrfField token={props.csrf} />
            <input type="hidden" name="version" value={String(props.d.version)} />
            {texte && (
              <ChampTexteLong
                formulaire={formulaire}
                name="commentaire"
                label={texte.libelle}
                aide={texte.aide}
                value={valeursDe(props.saisie, formulaire).commentaire}
                erreurs={props.saisie?.formulaire === formulaire ? props.saisie.erreurs : {}}
                maxLength={MAX_TEXTE}
                required
              />
            )}
            <button type="submit" class={e === 'refuser' || e === 'classer' ? 'button button-danger' : 'button'}>
              {TRANSITIONS_DOSSIER[e].libelle}
            </button>
          </form>
        );
      })}
    </section>
  );
}
