import express from 'express';
import { validateMobile } from '@sicert/elements/validators';
import { sendError, text } from './api-errors.js';
import { currentUser } from './applications-api.js';
import type { InsuredRegistry } from './insured-registry.js';

/** Longest registered address accepted (a full Chinese address is well under this). */
const ADDRESS_MAX = 120;

/**
 * 个人信息: the portal's own page where a person confirms their mobile number and registered address (社保账户信息确认),
 * which some regions require before an online application (示例西省; the wizard's `CONTACT_UNCONFIRMED` sends the
 * person here). A stand-in for the portal's own account pages, not part of the sicert backend contract.
 */
export function profileApi(registry: InsuredRegistry): express.Router {
  const api = express.Router();
  api.use(express.json({ limit: '4kb' }));

  api.get('/profile', async (req, res) => {
    const person = await registry.person(currentUser(req) ?? '');
    if (!person) return void sendError(res, 401, 'NOT_SIGNED_IN');
    res.json({ name: person.name, region: person.region, mobile: person.mobile, address: (await registry.address(person.idNumber)) ?? '', contactConfirmed: person.contactConfirmed });
  });

  api.post('/profile/contact', async (req, res) => {
    const person = await registry.person(currentUser(req) ?? '');
    if (!person) return void sendError(res, 401, 'NOT_SIGNED_IN');
    const body = req.body as { mobile?: unknown; address?: unknown };
    const mobile = validateMobile(text(body.mobile));
    if (!mobile.valid) return void sendError(res, 422, 'INVALID_FIELD', 'mobile', ['请填写11位手机号码。', 'Enter an 11-digit mobile number.']);
    const address = text(body.address).trim().replace(/\s+/g, ' ');
    if (!address || address.length > ADDRESS_MAX) return void sendError(res, 422, 'INVALID_FIELD', 'address', [`请填写户籍地址（不超过${ADDRESS_MAX}字）。`, `Enter your registered address (at most ${ADDRESS_MAX} characters).`]);
    await registry.confirmContact(person.idNumber, mobile.value, address);
    res.json({ name: person.name, region: person.region, mobile: mobile.value, address, contactConfirmed: true });
  });

  return api;
}
