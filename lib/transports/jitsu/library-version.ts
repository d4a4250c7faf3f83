export const PACKAGE_NAME = 'nestjs-jitsu-analytics';

/**
 * This package's version, written here rather than read from package.json at load time: that
 * needs `import.meta.url`, which stops the package from being compiled to CommonJS, the way a
 * `nest new` app's Jest (ts-jest) loads it. A test keeps it equal to package.json's.
 */
export const LIBRARY_VERSION = '0.1.0';

export const USER_AGENT = `${PACKAGE_NAME}/${LIBRARY_VERSION}`;
