import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendPage } from '../http/render.tsx';
import { sendError } from '../http/guard.tsx';
import { assignmentsOf, findAccountById, listAccounts, listContratAssignments, type AccountChanges, type AccountRow } from '../auth/store.ts';
import { ROLE_LABELS } from '../auth/policy.ts';
import { fieldErrors, type FieldErrors } from '../ui/forms.tsx';
import { assignmentLabel, createAccountSchema, editAccountSchema, EMAIL_TAKEN, grantSchema, scopeLabel, searchSchema } from './model.ts';
import { createAccountUnique, grantRoleOnce, revokeRoleChecked, updateAccountChecked } from './store.ts';
import { AccountPage, AccountsListPage, CreateAccountPage, type EditValues, type GrantValues } from './accounts-views.tsx';
import { auditActor, formBody, isUuid, typed } from '../http/request.ts';
import { loadDirectory } from './directory.ts';

type IdParams = { Params: { id: string } };

type AccountPageState = {
  grant?: { values: GrantValues; errors: FieldErrors };
  edit?: { values: EditValues; errors: FieldErrors };
  refusal?: string;
};

/** The account page, fresh or re-rendered with the errors of one of its forms (then with status 400). */
async function sendAccountPage(req: FastifyRequest, reply: FastifyReply, account: AccountRow, state: AccountPageState = {}) {
  const directory = await loadDirectory(req);
  const assignments = (await assignmentsOf(req.server.ctx.db, account.id)).filter((a) => a.contratId === req.contrat.id);
  const failed = Boolean(state.grant || state.edit || state.refusal);
  return sendPage(
    req,
    reply,
    failed ? `Erreur — ${account.displayName}` : account.displayName,
    (ctx) => (
      <AccountPage
        csrf={ctx.csrfToken}
        account={account}
        directory={directory}
        assignments={assignments.map((a) => ({ id: a.id, role: ROLE_LABELS[a.role], scope: scopeLabel(a, directory) }))}
        grant={state.grant ?? { values: {}, errors: {} }}
        edit={state.edit ?? { values: { displayName: account.displayName, active: account.active }, errors: {} }}
        refusal={state.refusal}
      />
    ),
    failed ? 400 : 200,
  );
}

/** The account named by the URL, or a 404 page already sent. */
async function accountOr404(req: FastifyRequest<IdParams>, reply: FastifyReply): Promise<AccountRow | undefined> {
  const account = isUuid(req.params.id) ? await findAccountById(req.server.ctx.db, req.params.id) : undefined;
  if (!account) void sendError(req, reply, 404, "Ce compte n'existe pas.");
  return account;
}

export function adminAccountRoutes(app: FastifyInstance): void {
  const { db } = app.ctx;

  app.get('/admin/comptes', { config: { policy: 'admin.voir' } }, async (req, reply) => {
    const { q } = searchSchema.parse(req.query ?? {});
    const accounts = await listAccounts(db, { q });
    const assignments = await listContratAssignments(db, req.contrat.id);
    const directory = await loadDirectory(req);
    const roles = new Map<string, string[]>();
    for (const a of assignments) roles.set(a.accountId, [...(roles.get(a.accountId) ?? []), assignmentLabel(a, directory)]);
    return sendPage(req, reply, 'Comptes et rôles', (
      <AccountsListPage q={q} items={accounts.map((account) => ({ account, roles: roles.get(account.id) ?? [] }))} />
    ));
  });

  const oidcLabel = app.ctx.config.oidc?.label;

  app.get('/admin/comptes/nouveau', { config: { policy: 'admin.comptes.gerer' } }, async (req, reply) =>
    sendPage(req, reply, 'Créer un compte', (ctx) => <CreateAccountPage csrf={ctx.csrfToken} values={{}} errors={{}} oidcLabel={oidcLabel} />),
  );

  app.post('/admin/comptes/nouveau', { config: { policy: 'admin.comptes.gerer' } }, async (req, reply) => {
    const body = formBody(req);
    const again = (errors: FieldErrors) =>
      sendPage(
        req,
        reply,
        'Erreur — Créer un compte',
        (ctx) => (
          <CreateAccountPage csrf={ctx.csrfToken} values={{ displayName: typed(body, 'displayName'), email: typed(body, 'email') }} errors={errors} oidcLabel={oidcLabel} />
        ),
        400,
      );
    const parsed = createAccountSchema.safeParse(body);
    if (!parsed.success) return again(fieldErrors(parsed.error));
    const { displayName, email, password } = parsed.data;
    const result = await createAccountUnique(db, auditActor(req), { displayName, email, ...(password ? { password } : {}) });
    if (!result.ok) return again({ email: EMAIL_TAKEN });
    return reply.flash('Compte créé.').redirect(`/admin/comptes/${result.account.id}`);
  });

  app.get<IdParams>('/admin/comptes/:id', { config: { policy: 'admin.voir' } }, async (req, reply) => {
    const account = await accountOr404(req, reply);
    return account ? sendAccountPage(req, reply, account) : reply;
  });

  app.post<IdParams>('/admin/comptes/:id', { config: { policy: 'admin.comptes.gerer' } }, async (req, reply) => {
    const account = await accountOr404(req, reply);
    if (!account) return reply;
    const body = formBody(req);
    const values = { displayName: typed(body, 'displayName'), active: Boolean(typed(body, 'active')) };
    const parsed = editAccountSchema.safeParse(body);
    if (!parsed.success) return sendAccountPage(req, reply, account, { edit: { values, errors: fieldErrors(parsed.error) } });

    // Only what differs is written, so that the journal shows real changes only.
    const changes: AccountChanges = {};
    if (parsed.data.displayName !== account.displayName) changes.displayName = parsed.data.displayName;
    if (parsed.data.active !== account.active) changes.active = parsed.data.active;
    if (parsed.data.password) changes.password = parsed.data.password;
    if (Object.keys(changes).length === 0) return reply.flash('Aucune modification à enregistrer.').redirect(`/admin/comptes/${account.id}`);

    const result = await updateAccountChecked(db, auditActor(req), req.contrat.id, account.id, changes);
    if (!result.ok && result.reason === 'introuvable') return sendError(req, reply, 404, "Ce compte n'existe pas.");
    if (!result.ok) return sendAccountPage(req, reply, account, { edit: { values, errors: { active: result.message } } });
    return reply.flash('Compte modifié.').redirect(`/admin/comptes/${account.id}`);
  });

  app.post<IdParams>('/admin/comptes/:id/roles', { config: { policy: 'admin.roles.attribuer' } }, async (req, reply) => {
    const account = await accountOr404(req, reply);
    if (!account) return reply;
    const body = formBody(req);
    const values = { role: typed(body, 'role'), territoire: typed(body, 'territoire'), organisation: typed(body, 'organisation') };
    const directory = await loadDirectory(req);
    const existing = (await assignmentsOf(db, account.id)).filter((a) => a.contratId === req.contrat.id);
    const parsed = grantSchema(directory, existing).safeParse(body);
    if (!parsed.success) return sendAccountPage(req, reply, account, { grant: { values, errors: fieldErrors(parsed.error) } });

    const grant = parsed.data;
    const result = await grantRoleOnce(db, auditActor(req), {
      accountId: account.id,
      contratId: req.contrat.id,
      ...grant,
      label: account.email,
      ...(grant.scopeKind && { scopeLabel: scopeLabel(grant, directory) }),
    });
    if (!result.ok) return sendAccountPage(req, reply, account, { grant: { values, errors: { role: result.message } } });
    return reply.flash('Rôle attribué.').redirect(`/admin/comptes/${account.id}`);
  });

  app.post<{ Params: { id: string; assignmentId: string } }>(
    '/admin/comptes/:id/roles/:assignmentId/retrait',
    { config: { policy: 'admin.roles.attribuer' } },
    async (req, reply) => {
      const account = await accountOr404(req, reply);
      if (!account) return reply;
      const notFound = () => sendError(req, reply, 404, "Ce rôle n'est plus attribué à ce compte.");
      if (!isUuid(req.params.assignmentId)) return notFound();
      const directory = await loadDirectory(req);
      const target = (await assignmentsOf(db, account.id)).find((a) => a.id === req.params.assignmentId);
      const result = await revokeRoleChecked(db, auditActor(req), {
        accountId: account.id,
        contratId: req.contrat.id,
        assignmentId: req.params.assignmentId,
        label: account.email,
        ...(target?.scopeKind && { scopeLabel: scopeLabel(target, directory) }),
      });
      if (!result.ok && result.reason === 'introuvable') return notFound();
      if (!result.ok) return sendAccountPage(req, reply, account, { refusal: result.message });
      return reply.flash('Rôle retiré.').redirect(`/admin/comptes/${account.id}`);
    },
  );
}
