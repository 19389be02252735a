import packageJson from '../package.json' with { type: 'json' };

/** The CLI's version, inlined from package.json at build time. Also the toolVersion written into archives. */
export const CLI_VERSION: string = packageJson.version;
