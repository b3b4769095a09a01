import express from 'express';
import { text } from './api-errors.js';
import type { InsuredRegistry } from './insured-registry.js';
import type { FaceTokens } from './face-check.js';

/**
 * Stand-ins for what a real portal already has: its login (实名认证) and its face-verification service. Both are
 * labelled as simulations in the pages; nothing here is part of the sicert backend contract.
 */
export function demoSessionApi(registry: InsuredRegistry, faces: FaceTokens): express.Router {
  const api = express.Router();
  api.use(express.json());

  api.get('/people', async (_req, res) => {
    res.json((await registry.people()).map((p) => ({ name: p.name, idNumber: p.idNumber, region: p.region })));
  });

  api.post('/login', async (req, res) => {
    const idNumber = text((req.body as { idNumber?: unknown }).idNumber);
    const person = await registry.person(idNumber);
    if (!person) {
      res.status(404).json({ error: 'NOT_FOUND', message: '无此演示用户' });
      return;
    }
    res.cookie('sicert_demo_user', person.idNumber, { httpOnly: true, sameSite: 'strict', path: '/' });
    res.json({ name: person.name, idNumber: person.idNumber, mobile: person.mobile, cardNumber: person.cardNumber, region: person.region });
  });

  api.post('/logout', (_req, res) => {
    res.clearCookie('sicert_demo_user', { path: '/' });
    res.status(204).end();
  });

  /** FAKE face service: passes or fails as the page asks, and says so in the token's method. */
  api.post('/face-checks', (req, res) => {
    const body = req.body as { idNumber?: unknown; applicationKey?: unknown; outcome?: unknown; method?: unknown };
    const method = body.method === 'camera' ? 'camera-simulated' : 'simulated';
    if (body.outcome !== 'pass') {
      res.json({ passed: false });
      return;
    }
    res.json({ passed: true, token: faces.issue(text(body.idNumber), text(body.applicationKey), method) });
  });

  return api;
}
