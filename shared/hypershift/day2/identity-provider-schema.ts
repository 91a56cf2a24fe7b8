import { Type, type Static } from 'typebox'

// spec.configuration.oauth.identityProviders[] as the HostedCluster CRD defines it (config.openshift.io/v1
// IdentityProvider); secrets and ConfigMaps are referenced by name in the HostedCluster namespace (002_ch7-17 §6.2).

const Ref = Type.Object({ name: Type.String({ minLength: 1, maxLength: 253 }) }, { additionalProperties: false })
const Strings = Type.Array(Type.String())

export const IDP_TYPES = {
  OpenID: 'openID',
  HTPasswd: 'htpasswd',
  LDAP: 'ldap',
  Keystone: 'keystone',
  BasicAuth: 'basicAuth',
  RequestHeader: 'requestHeader',
  GitHub: 'github',
  GitLab: 'gitlab',
  Google: 'google'
} as const

export const IdentityProviderSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 253, description: 'Prefix of identity names and part of the OAuth callback URL' }),
  type: Type.Enum(Object.keys(IDP_TYPES)),
  mappingMethod: Type.Optional(Type.Enum(['claim', 'lookup', 'generate', 'add'])),
  openID: Type.Optional(Type.Object({
    clientID: Type.String({ minLength: 1 }),
    clientSecret: Ref,
    issuer: Type.String({ minLength: 1, description: 'https URL without query or fragment' }),
    ca: Type.Optional(Ref),
    claims: Type.Optional(Type.Object({
      email: Type.Optional(Strings),
      name: Type.Optional(Strings),
      preferredUsername: Type.Optional(Strings),
      groups: Type.Optional(Type.Array(Type.String({ minLength: 1 })))
    }, { additionalProperties: false })),
    extraScopes: Type.Optional(Strings),
    extraAuthorizeParameters: Type.Optional(Type.Record(Type.String(), Type.String()))
  }, { additionalProperties: false })),
  htpasswd: Type.Optional(Type.Object({ fileData: Ref }, { additionalProperties: false })),
  ldap: Type.Optional(Type.Object({
    url: Type.String({ minLength: 1 }),
    bindDN: Type.Optional(Type.String()),
    bindPassword: Type.Optional(Ref),
    ca: Type.Optional(Ref),
    insecure: Type.Optional(Type.Boolean()),
    attributes: Type.Optional(Type.Object({
      id: Type.Optional(Strings),
      email: Type.Optional(Strings),
      name: Type.Optional(Strings),
      preferredUsername: Type.Optional(Strings)
    }, { additionalProperties: false }))
  }, { additionalProperties: false })),
  keystone: Type.Optional(Type.Object({
    url: Type.String({ minLength: 1 }),
    domainName: Type.String({ minLength: 1 }),
    ca: Type.Optional(Ref),
    tlsClientCert: Type.Optional(Ref),
    tlsClientKey: Type.Optional(Ref)
  }, { additionalProperties: false })),
  basicAuth: Type.Optional(Type.Object({
    url: Type.String({ minLength: 1 }),
    ca: Type.Optional(Ref),
    tlsClientCert: Type.Optional(Ref),
    tlsClientKey: Type.Optional(Ref)
  }, { additionalProperties: false })),
  requestHeader: Type.Optional(Type.Object({
    ca: Ref,
    headers: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
    loginURL: Type.Optional(Type.String()),
    challengeURL: Type.Optional(Type.String()),
    clientCommonNames: Type.Optional(Strings),
    emailHeaders: Type.Optional(Strings),
    nameHeaders: Type.Optional(Strings),
    preferredUsernameHeaders: Type.Optional(Strings)
  }, { additionalProperties: false })),
  github: Type.Optional(Type.Object({
    clientID: Type.String({ minLength: 1 }),
    clientSecret: Ref,
    hostname: Type.Optional(Type.String()),
    ca: Type.Optional(Ref),
    organizations: Type.Optional(Strings),
    teams: Type.Optional(Strings)
  }, { additionalProperties: false })),
  gitlab: Type.Optional(Type.Object({
    clientID: Type.String({ minLength: 1 }),
    clientSecret: Ref,
    url: Type.String({ minLength: 1 }),
    ca: Type.Optional(Ref)
  }, { additionalProperties: false })),
  google: Type.Optional(Type.Object({
    clientID: Type.String({ minLength: 1 }),
    clientSecret: Ref,
    hostedDomain: Type.Optional(Type.String())
  }, { additionalProperties: false }))
}, { additionalProperties: false })

export type IdentityProvider = Static<typeof IdentityProviderSchema>
