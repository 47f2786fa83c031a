import type { HelmetOptions } from 'helmet';

/**
 * The security headers of every response of every service (helmet, made once by
 * the kit and called on both adapters): a Content-Security-Policy that lets pages load scripts,
 * styles, images and data only from the service itself (the dashboard and the
 * OpenAPI page need nothing else; inline styles are allowed for the charts and
 * Swagger UI, inline scripts are not), no framing (X-Frame-Options DENY and
 * frame-ancestors 'none'), X-Content-Type-Options nosniff, no referrer.
 */
export function securityHeaders(): HelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  };
}
