import { CsrfField, ErrorSummary, SelectField, TextField, type FieldErrors } from '../platform/ui/forms.tsx';
import { FilAriane } from '../platform/ui/fil-ariane.tsx';
import { TableWrap } from '../platform/ui/table.tsx';
import { LIBELLES_DOCUMENT } from './structure-form.ts';
import { etatDocument, LIBELLES_TYPE_DOCUMENT, MAX_OCTETS_DOCUMENT, TYPES_DOCUMENT, type TypeDocument } from './structure-model.ts';
import type { DocumentResume } from './documents-store.ts';
import { MENTION_FICTIVE, TITRE_PROFIL } from './structure-views.tsx';
import { momentParis } from '../platform/dates.ts';

// The association's documents: what it has deposited and their validity today, what is still missing,
// the upload form.

export const TITRE_DOCUMENTS = 'Les pièces de l’association';

const libelleType = (t: string) => LIBELLES_TYPE_DOCUMENT[t as TypeDocument] ?? t;

/** "245 ko", "1,2 Mo": sizes as people read them. */
export function taille(octets: number): string {
  if (octets < 1024 * 1024) return `${Math.max(1, Math.round(octets / 1024)).toLocaleString('fr-FR')}\u00a0ko`;
  return `${(octets / 1024 / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 1 })}\u00a0Mo`;
}

export type DocumentsProps = {
  csrf: string;
  nom: string;
  fictive: boolean;
  aujourdhui: string;
  documents: DocumentResume[];
  manquants: TypeDocument[];
  valeurs: Record<string, string | undefined>;
  errors: FieldErrors;
};

export function DocumentsPage(props: DocumentsProps) {
  const { valeurs: v, errors } = props;
  return (
    <>
      <FilAriane miettes={[{ label: TITRE_PROFIL, href: '/structure' }, { label: 'Pièces' }]} />
      <h1>{TITRE_DOCUMENTS}</h1>
      <p class="lead">
        {props.nom}
        {props.fictive && ` (${MENTION_FICTIVE.toLowerCase()})`}. Chaque pièce est jointe à toutes vos demandes tant qu’elle est valable : inutile
        de la déposer à nouveau chaque année.
      </p>
      {props.manquants.length > 0 ? (
        <div class="notice notice-warning">
          <p>Pièces demandées qui manquent aujourd’hui (aucune n’est valable) :</p>
          <ul>
            {props.manquants.map((t) => (
              <li>{LIBELLES_TYPE_DOCUMENT[t]}</li>
            ))}
          </ul>
        </div>
      ) : (
        <p class="notice notice-success">Toutes les pièces demandées sont valables aujourd’hui.</p>
      )}
      <TableWrap label="Pièces déposées">
        <table>
          <caption>Pièces déposées ({props.documents.length})</caption>
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Fichier</th>
              <th scope="col">Taille</th>
              <th scope="col">Validité</th>
              <th scope="col">Déposé</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {props.documents.length === 0 && (
              <tr>
                <td colSpan={6}>Aucune pièce déposée pour l’instant.</td>
              </tr>
            )}
            {props.documents.map((d) => (
              <tr>
                <th scope="row">{libelleType(d.type)}</th>
                <td>
                  <a href={`/structure/documents/${d.id}`} download>
                    {d.nomFichier}
                  </a>
                </td>
                <td>{taille(d.taille)}</td>
                <td>{etatDocument(d, props.aujourdhui).texte}</td>
                <td>
                  le {momentParis(d.deposeLe)} par {d.deposePar}
                </td>
                <td>
                  {d.retireLe ? (
                    '—'
                  ) : (
                    <form method="post" action={`/structure/documents/${d.id}/retirer`} class="inline-form">
                      <CsrfField token={props.csrf} />
                      <button type="submit" class="button button-secondary">
                        Retirer<span class="visually-hidden"> {d.nomFichier}</span>
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <section aria-labelledby="titre-depot" class="card">
        <h2 id="titre-depot">Déposer une pièce</h2>
        <ErrorSummary errors={errors} labels={LIBELLES_DOCUMENT} />
        <form method="post" action="/structure/documents" enctype="multipart/form-data" novalidate>
          {/* Before the file: the CSRF check reads the fields that come with it. */}
          <CsrfField token={props.csrf} />
          <SelectField
            name="type"
            label={LIBELLES_DOCUMENT.type}
            value={v.type}
            errors={errors}
            placeholder="Choisissez"
            options={TYPES_DOCUMENT.map((t) => ({ value: t, label: LIBELLES_TYPE_DOCUMENT[t] }))}
            required
          />
          <div class={errors.fichier ? 'field field-error' : 'field'}>
            <label for="champ-fichier">{LIBELLES_DOCUMENT.fichier}</label>
            <p class="hint" id="aide-fichier">
              PDF, JPEG ou PNG, {MAX_OCTETS_DOCUMENT / 1024 / 1024} Mo au plus.
            </p>
            {errors.fichier && (
              <p class="error-message" id="erreur-fichier">
                <span class="visually-hidden">Erreur : </span>
                {errors.fichier}
              </p>
            )}
            <input
              id="champ-fichier"
              name="fichier"
              type="file"
              accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
              required
              aria-invalid={errors.fichier ? 'true' : undefined}
              aria-describedby={errors.fichier ? 'aide-fichier erreur-fichier' : 'aide-fichier'}
            />
          </div>
          <TextField name="valideDu" label={LIBELLES_DOCUMENT.valideDu} type="date" value={v.valideDu} errors={errors} hint="Facultatif. Au format AAAA-MM-JJ." />
          <TextField
            name="valideJusquAu"
            label={LIBELLES_DOCUMENT.valideJusquAu}
            type="date"
            value={v.valideJusquAu}
            errors={errors}
            hint="Facultatif : laissez vide si la pièce vaut jusqu’à ce qu’elle soit remplacée (des statuts, par exemple)."
          />
          <button type="submit" class="button">
            Déposer la pièce
          </button>
        </form>
      </section>
    </>
  );
}
