CREATE TABLE "annotation_dossier" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contrat_id" uuid NOT NULL,
	"dossier_id" uuid NOT NULL,
	"texte" text NOT NULL,
	"auteur_id" uuid,
	"auteur" text NOT NULL,
	"le" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "avis_financeur" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contrat_id" uuid NOT NULL,
	"dossier_id" uuid NOT NULL,
	"financeur_id" uuid NOT NULL,
	"avis" text NOT NULL,
	"propose_centimes" bigint,
	"commentaire" text DEFAULT '' NOT NULL,
	"auteur_id" uuid,
	"auteur" text NOT NULL,
	"le" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campagne_aap" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contrat_id" uuid NOT NULL,
	"annee" integer NOT NULL,
	"titre" text NOT NULL,
	"presentation" text DEFAULT '' NOT NULL,
	"ouverture" date NOT NULL,
	"cloture" date NOT NULL,
	"priorite_refs" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"territoire_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"thematiques" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"demonstration" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "document_structure" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contrat_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"type" text NOT NULL,
	"nom_fichier" text NOT NULL,
	"type_mime" text NOT NULL,
	"taille" integer NOT NULL,
	"sha256" text NOT NULL,
	"contenu" "bytea" NOT NULL,
	"valide_du" date,
	"valide_jusqu_au" date,
	"depose_le" timestamp with time zone DEFAULT now() NOT NULL,
	"depose_par" text NOT NULL,
	"retire_le" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "dossier" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contrat_id" uuid NOT NULL,
	"campagne_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"numero" integer NOT NULL,
	"statut" text DEFAULT 'brouillon' NOT NULL,
	"titre" text NOT NULL,
	"objectifs" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"date_debut" date,
	"date_fin" date,
	"lieux" text DEFAULT '' NOT NULL,
	"public" jsonb NOT NULL,
	"territoire_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"noeud_refs" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"thematique" text,
	"charges" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"autres_produits" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"duplique_de_id" uuid,
	"depose_le" timestamp with time zone,
	"decide_le" timestamp with time zone,
	"decision_motif" text,
	"version" integer DEFAULT 1 NOT NULL,
	"cree_le" timestamp with time zone DEFAULT now() NOT NULL,
	"modifie_le" timestamp with time zone DEFAULT now() NOT NULL,
	"cree_par" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dossier_evenement" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dossier_id" uuid NOT NULL,
	"etape" text NOT NULL,
	"de" text NOT NULL,
	"vers" text NOT NULL,
	"commentaire" text,
	"par" text NOT NULL,
	"le" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "financement" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contrat_id" uuid NOT NULL,
	"dossier_id" uuid NOT NULL,
	"financeur_id" uuid,
	"libelle" text NOT NULL,
	"demande_centimes" bigint NOT NULL,
	"propose_centimes" bigint,
	"accorde_centimes" bigint,
	"ordre" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "financeur_aap" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contrat_id" uuid NOT NULL,
	"campagne_id" uuid NOT NULL,
	"code" text NOT NULL,
	"nom" text NOT NULL,
	"organisation_id" uuid,
	"service_instructeur" text DEFAULT '' NOT NULL,
	"siret" text,
	"enveloppe_centimes" bigint DEFAULT 0 NOT NULL,
	"ordre" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "groupe_instruction" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contrat_id" uuid NOT NULL,
	"campagne_id" uuid NOT NULL,
	"nom" text NOT NULL,
	"territoire_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"membres" text DEFAULT '' NOT NULL,
	"ordre" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "message_dossier" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contrat_id" uuid NOT NULL,
	"dossier_id" uuid NOT NULL,
	"cote" text NOT NULL,
	"texte" text NOT NULL,
	"auteur_id" uuid,
	"auteur" text NOT NULL,
	"le" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "structure" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contrat_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"sigle" text,
	"siret" text NOT NULL,
	"rna" text,
	"objet" text DEFAULT '' NOT NULL,
	"adresse" text NOT NULL,
	"localisation" jsonb,
	"courriel" text DEFAULT '' NOT NULL,
	"telephone" text DEFAULT '' NOT NULL,
	"representants" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"fictive" text,
	"version" integer DEFAULT 1 NOT NULL,
	"modifie_le" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "annotation_dossier" ADD CONSTRAINT "annotation_dossier_contrat_id_contrat_id_fk" FOREIGN KEY ("contrat_id") REFERENCES "public"."contrat"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "annotation_dossier" ADD CONSTRAINT "annotation_dossier_dossier_id_dossier_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossier"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "annotation_dossier" ADD CONSTRAINT "annotation_dossier_auteur_id_account_id_fk" FOREIGN KEY ("auteur_id") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "avis_financeur" ADD CONSTRAINT "avis_financeur_contrat_id_contrat_id_fk" FOREIGN KEY ("contrat_id") REFERENCES "public"."contrat"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "avis_financeur" ADD CONSTRAINT "avis_financeur_dossier_id_dossier_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossier"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "avis_financeur" ADD CONSTRAINT "avis_financeur_financeur_id_financeur_aap_id_fk" FOREIGN KEY ("financeur_id") REFERENCES "public"."financeur_aap"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "avis_financeur" ADD CONSTRAINT "avis_financeur_auteur_id_account_id_fk" FOREIGN KEY ("auteur_id") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campagne_aap" ADD CONSTRAINT "campagne_aap_contrat_id_contrat_id_fk" FOREIGN KEY ("contrat_id") REFERENCES "public"."contrat"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_structure" ADD CONSTRAINT "document_structure_contrat_id_contrat_id_fk" FOREIGN KEY ("contrat_id") REFERENCES "public"."contrat"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_structure" ADD CONSTRAINT "document_structure_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier" ADD CONSTRAINT "dossier_contrat_id_contrat_id_fk" FOREIGN KEY ("contrat_id") REFERENCES "public"."contrat"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier" ADD CONSTRAINT "dossier_campagne_id_campagne_aap_id_fk" FOREIGN KEY ("campagne_id") REFERENCES "public"."campagne_aap"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier" ADD CONSTRAINT "dossier_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_evenement" ADD CONSTRAINT "dossier_evenement_dossier_id_dossier_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossier"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "financement" ADD CONSTRAINT "financement_contrat_id_contrat_id_fk" FOREIGN KEY ("contrat_id") REFERENCES "public"."contrat"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "financement" ADD CONSTRAINT "financement_dossier_id_dossier_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossier"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "financement" ADD CONSTRAINT "financement_financeur_id_financeur_aap_id_fk" FOREIGN KEY ("financeur_id") REFERENCES "public"."financeur_aap"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "financeur_aap" ADD CONSTRAINT "financeur_aap_contrat_id_contrat_id_fk" FOREIGN KEY ("contrat_id") REFERENCES "public"."contrat"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "financeur_aap" ADD CONSTRAINT "financeur_aap_campagne_id_campagne_aap_id_fk" FOREIGN KEY ("campagne_id") REFERENCES "public"."campagne_aap"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "financeur_aap" ADD CONSTRAINT "financeur_aap_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "groupe_instruction" ADD CONSTRAINT "groupe_instruction_contrat_id_contrat_id_fk" FOREIGN KEY ("contrat_id") REFERENCES "public"."contrat"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "groupe_instruction" ADD CONSTRAINT "groupe_instruction_campagne_id_campagne_aap_id_fk" FOREIGN KEY ("campagne_id") REFERENCES "public"."campagne_aap"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_dossier" ADD CONSTRAINT "message_dossier_contrat_id_contrat_id_fk" FOREIGN KEY ("contrat_id") REFERENCES "public"."contrat"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_dossier" ADD CONSTRAINT "message_dossier_dossier_id_dossier_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossier"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_dossier" ADD CONSTRAINT "message_dossier_auteur_id_account_id_fk" FOREIGN KEY ("auteur_id") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "structure" ADD CONSTRAINT "structure_contrat_id_contrat_id_fk" FOREIGN KEY ("contrat_id") REFERENCES "public"."contrat"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "structure" ADD CONSTRAINT "structure_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "avis_dossier_idx" ON "avis_financeur" USING btree ("dossier_id");--> statement-breakpoint
CREATE UNIQUE INDEX "campagne_aap_annee_uq" ON "campagne_aap" USING btree ("contrat_id","annee");--> statement-breakpoint
CREATE INDEX "document_structure_org_idx" ON "document_structure" USING btree ("organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dossier_numero_uq" ON "dossier" USING btree ("campagne_id","numero");--> statement-breakpoint
CREATE INDEX "dossier_campagne_statut_idx" ON "dossier" USING btree ("campagne_id","statut");--> statement-breakpoint
CREATE INDEX "dossier_organisation_idx" ON "dossier" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "dossier_evenement_idx" ON "dossier_evenement" USING btree ("dossier_id");--> statement-breakpoint
CREATE INDEX "financement_dossier_idx" ON "financement" USING btree ("dossier_id");--> statement-breakpoint
CREATE INDEX "financement_financeur_idx" ON "financement" USING btree ("financeur_id");--> statement-breakpoint
CREATE UNIQUE INDEX "financeur_aap_code_uq" ON "financeur_aap" USING btree ("campagne_id","code");--> statement-breakpoint
CREATE INDEX "message_dossier_idx" ON "message_dossier" USING btree ("dossier_id");--> statement-breakpoint
CREATE UNIQUE INDEX "structure_organisation_uq" ON "structure" USING btree ("organisation_id");