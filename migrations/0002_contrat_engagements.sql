CREATE TABLE "avenant" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contrat_id" uuid NOT NULL,
	"numero" integer NOT NULL,
	"titre" text NOT NULL,
	"objet" text NOT NULL,
	"statut" text DEFAULT 'projet' NOT NULL,
	"adopte_le" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "avenant_changement" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"avenant_id" uuid NOT NULL,
	"rang" integer NOT NULL,
	"type" text NOT NULL,
	"ref" text NOT NULL,
	"avant" jsonb,
	"apres" jsonb,
	"applique" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "noeud" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contrat_id" uuid NOT NULL,
	"ref" text NOT NULL,
	"niveau" text NOT NULL,
	"numero" text NOT NULL,
	"libelle" text NOT NULL,
	"parent_ref" text,
	"ordre" integer NOT NULL,
	"document" text,
	"lignes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"sommaire" jsonb,
	"details" jsonb,
	"note" text,
	"recherche" text NOT NULL,
	"vecteur" "tsvector" GENERATED ALWAYS AS (to_tsvector('french', recherche)) STORED,
	"avenant_id" uuid,
	"retire_par_avenant_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campagne" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contrat_id" uuid NOT NULL,
	"annee" integer NOT NULL,
	"echeance" date,
	"close" boolean DEFAULT false NOT NULL,
	"publiee" boolean DEFAULT false NOT NULL,
	"source" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "engagement" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contrat_id" uuid NOT NULL,
	"ref" text NOT NULL,
	"organisation_id" uuid,
	"porteur" text,
	"noeud_refs" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"dispositif" text,
	"thematique" text,
	"intitule" text NOT NULL,
	"indicateur" text,
	"unite" text,
	"sens" text DEFAULT 'hausse' NOT NULL,
	"nature" text NOT NULL,
	"reference" text,
	"cible" text,
	"echeance" text,
	"jalons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"sources" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"recherche" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fiche_evenement" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"fiche_id" uuid NOT NULL,
	"etape" text NOT NULL,
	"de" text NOT NULL,
	"vers" text NOT NULL,
	"commentaire" text,
	"par" text NOT NULL,
	"le" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fiche_suivi" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contrat_id" uuid NOT NULL,
	"campagne_id" uuid NOT NULL,
	"engagement_id" uuid,
	"organisation_id" uuid,
	"numero" integer NOT NULL,
	"titre" text NOT NULL,
	"axe" text,
	"thematique" text,
	"objectif" text,
	"indicateur" text,
	"services" text,
	"date_mise_a_jour" text,
	"colonnes" text,
	"methodologie" text,
	"analyse" text,
	"points_alerte" text,
	"ajustement" text,
	"statut" text DEFAULT 'a_remplir' NOT NULL,
	"rouverte" boolean DEFAULT false NOT NULL,
	"commentaire" text,
	"version" integer DEFAULT 1 NOT NULL,
	"source" jsonb,
	"modifie_le" timestamp with time zone DEFAULT now() NOT NULL,
	"modifie_par" text
);
--> statement-breakpoint
CREATE TABLE "mesure" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"fiche_id" uuid NOT NULL,
	"rang" integer NOT NULL,
	"engagement_id" uuid,
	"sous_mesure" text,
	"libelle" text,
	"nature" text NOT NULL,
	"sens" text NOT NULL,
	"reference" text,
	"cible" text,
	"resultat" text,
	"date_resultat" text,
	"provisoire" boolean DEFAULT false NOT NULL,
	"perimetre" text,
	"taux_declare" text,
	"taux_calcule" numeric,
	"formule" text,
	"raison" text,
	"alertes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"lignes" jsonb,
	"note" text
);
--> statement-breakpoint
ALTER TABLE "organisation" ADD COLUMN "aliases" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "organisation" ADD COLUMN "parent_id" uuid;--> statement-breakpoint
ALTER TABLE "avenant" ADD CONSTRAINT "avenant_contrat_id_contrat_id_fk" FOREIGN KEY ("contrat_id") REFERENCES "public"."contrat"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "avenant_changement" ADD CONSTRAINT "avenant_changement_avenant_id_avenant_id_fk" FOREIGN KEY ("avenant_id") REFERENCES "public"."avenant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "noeud" ADD CONSTRAINT "noeud_contrat_id_contrat_id_fk" FOREIGN KEY ("contrat_id") REFERENCES "public"."contrat"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campagne" ADD CONSTRAINT "campagne_contrat_id_contrat_id_fk" FOREIGN KEY ("contrat_id") REFERENCES "public"."contrat"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagement" ADD CONSTRAINT "engagement_contrat_id_contrat_id_fk" FOREIGN KEY ("contrat_id") REFERENCES "public"."contrat"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagement" ADD CONSTRAINT "engagement_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fiche_evenement" ADD CONSTRAINT "fiche_evenement_fiche_id_fiche_suivi_id_fk" FOREIGN KEY ("fiche_id") REFERENCES "public"."fiche_suivi"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fiche_suivi" ADD CONSTRAINT "fiche_suivi_contrat_id_contrat_id_fk" FOREIGN KEY ("contrat_id") REFERENCES "public"."contrat"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fiche_suivi" ADD CONSTRAINT "fiche_suivi_campagne_id_campagne_id_fk" FOREIGN KEY ("campagne_id") REFERENCES "public"."campagne"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fiche_suivi" ADD CONSTRAINT "fiche_suivi_engagement_id_engagement_id_fk" FOREIGN KEY ("engagement_id") REFERENCES "public"."engagement"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fiche_suivi" ADD CONSTRAINT "fiche_suivi_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mesure" ADD CONSTRAINT "mesure_fiche_id_fiche_suivi_id_fk" FOREIGN KEY ("fiche_id") REFERENCES "public"."fiche_suivi"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mesure" ADD CONSTRAINT "mesure_engagement_id_engagement_id_fk" FOREIGN KEY ("engagement_id") REFERENCES "public"."engagement"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "avenant_numero_uq" ON "avenant" USING btree ("contrat_id","numero");--> statement-breakpoint
CREATE UNIQUE INDEX "noeud_ref_uq" ON "noeud" USING btree ("contrat_id","ref");--> statement-breakpoint
CREATE INDEX "noeud_parent_idx" ON "noeud" USING btree ("contrat_id","parent_ref");--> statement-breakpoint
CREATE INDEX "noeud_vecteur_idx" ON "noeud" USING gin ("vecteur");--> statement-breakpoint
CREATE UNIQUE INDEX "campagne_annee_uq" ON "campagne" USING btree ("contrat_id","annee");--> statement-breakpoint
CREATE UNIQUE INDEX "engagement_ref_uq" ON "engagement" USING btree ("contrat_id","ref");--> statement-breakpoint
CREATE UNIQUE INDEX "fiche_numero_uq" ON "fiche_suivi" USING btree ("campagne_id","numero");--> statement-breakpoint
CREATE INDEX "fiche_organisation_idx" ON "fiche_suivi" USING btree ("contrat_id","organisation_id");