import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendPage } from '../platform/http/render.tsx';
import { CsrfField, ErrorSummary, TextField, type FieldErrors } from '../platform/ui/forms.tsx';
import { comptesQuartierVecuSchema, formatNombreFr, formatPourcent, parseNombreFr, quartierVecu } from './model.ts';
import { listTerritoires } from './store.ts';
import { VerdictQuartierVecu } from './lot-views.tsx';

// The quartier vécu rule (seed 002 l.860-869): a structure whose public lives at least half in QPV
// may claim the State's specific credits. Its public is given here as counts per QPV; a list of
// addresses goes through the batch check, whose summary applies the same rule.

const TITRE = 'Quartier vécu : le public d’une structure habite-t-il en quartier prioritaire ?';

type Qpv = { code: string; nom: string };

const champ = (code: string) => `qpv_${code}`;

/** A count typed in French ("1 200", "12"), empty meaning none. */
function lireCompte(v: string | undefined, obligatoire: string | null): number | string {
  const t = (v ?? '').trim();
  if (!t) return obligatoire ?? 0;
  const n = parseNombreFr(t);
  if (n === null || !Number.isInteger(n) || n < 0) return 'Saisissez un nombre entier positif ou nul.';
  return n;
}

export function quartierVecuRoutes(app: FastifyInstance): void {
  const qpvDuContrat = async (req: FastifyRequest): Promise<Qpv[]> =>
    (await listTerritoires(app.ctx.db, req.contrat.id, { type: 'qpv', geographie: '2015' })).map((t) => ({ code: t.code, nom: t.nom }));

  function render(req: FastifyRequest, reply: FastifyReply, qpv: Qpv[], valeurs: Record<string, string>, errors: FieldErrors, resultat: ReturnType<typeof quartierVecu> | null, status = 200) {
    const labels: Record<string, string> = { total: 'Public total', incertains: 'Personnes à l’adresse incertaine ou inconnue' };
    for (const q of qpv) labels[champ(q.code)] = `${q.nom} (${q.code})`;
    return sendPage(
      req,
      reply,
      Object.keys(errors).length ? `Erreur — ${TITRE}` : resultat ? `Résultat — ${TITRE}` : TITRE,
      (ctx) => (
        <>
          <h1>{TITRE}</h1>
          <p class="lead">
            Le contrat de ville retient le « quartier vécu » : dès qu’au moins 50 % du public d’une structure, d’un équipement ou d’une action
            habite un quartier prioritaire, la structure peut prétendre aux crédits spécifiques de la politique de la ville de l’État.
          </p>
          {resultat && (
            <section aria-labelledby="resultat-titre" class="card">
              <h2 id="resultat-titre" class="visually-hidden">
                Résultat
              </h2>
              <VerdictQuartierVecu resultat={resultat} />
              <p>{`Part sûre en quartier prioritaire : ${formatPourcent(resultat.part)} ; au plus ${formatPourcent(resultat.partMax)} si les adresses incertaines y étaient toutes.`}</p>
            </section>
          )}
          <p>
            Vous avez la liste des adresses plutôt que des comptes ?{' '}
            <a href="/quartiers/adresses/lot?but=quartier-vecu">Déposez le fichier d’adresses</a> : chaque adresse est classée, puis la règle est
            appliquée.
          </p>
          {qpv.length === 0 ? (
            <p class="notice notice-warning">Les quartiers prioritaires du contrat ne sont pas encore chargés.</p>
          ) : (
            <form method="post" action="/quartiers/quartier-vecu" noValidate>
              <ErrorSummary errors={errors} labels={labels} />
              <CsrfField token={ctx.csrfToken} />
              <fieldset class="field">
                <legend>Nombre de personnes par quartier prioritaire (laisser vide pour aucune)</legend>
                {qpv.map((q) => (
                  <TextField name={champ(q.code)} label={labels[champ(q.code)]!} value={valeurs[champ(q.code)]} errors={errors} />
                ))}
              </fieldset>
              <TextField
                name="incertains"
                label={labels.incertains!}
                hint="Adresses près d’une limite ou non reconnues : elles ne sont comptées ni dedans ni dehors."
                value={valeurs.incertains}
                errors={errors}
              />
              <TextField name="total" label={labels.total!} hint="Toutes les personnes du public, en quartier prioritaire ou non." value={valeurs.total} errors={errors} />
              <button type="submit" class="button">
                Appliquer la règle
              </button>
            </form>
          )}
          {resultat && resultat.parQpv.length > 0 && (
            <div class="table-wrap" role="region" aria-labelledby="tableau-vecu" tabIndex={0}>
              <table>
                <caption id="tableau-vecu">Public par quartier prioritaire</caption>
                <thead>
                  <tr>
                    <th scope="col">Quartier prioritaire</th>
                    <th scope="col">Personnes</th>
                    <th scope="col">Part du public</th>
                  </tr>
                </thead>
                <tbody>
                  {resultat.parQpv.map((p) => (
                    <tr>
                      <th scope="row">{`${qpv.find((q) => q.code === p.code)?.nom ?? p.code} (${p.code})`}</th>
                      <td>{formatNombreFr(p.nombre)}</td>
                      <td>{formatPourcent(p.nombre / resultat.total)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      ),
      status,
    );
  }

  app.get('/quartiers/quartier-vecu', { config: { policy: 'portail.voir' } }, async (req, reply) => render(req, reply, await qpvDuContrat(req), {}, {}, null));

  app.post('/quartiers/quartier-vecu', { config: { policy: 'portail.voir' } }, async (req, reply) => {
    const qpv = await qpvDuContrat(req);
    const body = (req.body ?? {}) as Record<string, string>;
    const valeurs: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string' && k !== '_csrf') valeurs[k] = v;
    const errors: FieldErrors = {};
    const parQpv: Record<string, number> = {};
    for (const q of qpv) {
      const n = lireCompte(valeurs[champ(q.code)], null);
      if (typeof n === 'string') errors[champ(q.code)] = n;
      else parQpv[q.code] = n;
    }
    const incertains = lireCompte(valeurs.incertains, null);
    if (typeof incertains === 'string') errors.incertains = incertains;
    const total = lireCompte(valeurs.total, 'Indiquez le public total.');
    if (typeof total === 'string') errors.total = total;
    if (Object.keys(errors).length) return render(req, reply, qpv, valeurs, errors, null, 400);
    const comptes = comptesQuartierVecuSchema.safeParse({ parQpv, incertains, total });
    if (!comptes.success) return render(req, reply, qpv, valeurs, { total: comptes.error.issues[0]!.message }, null, 400);
    return render(req, reply, qpv, valeurs, {}, quartierVecu(comptes.data));
  });
}
