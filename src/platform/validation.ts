import { z } from 'zod';

// Every validation message a user reads is in French.
z.config(z.locales.fr());

export { z };
