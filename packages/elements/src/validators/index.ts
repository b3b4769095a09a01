export { validateResidentId, residentIdCheckCharacter, type ResidentIdError, type ResidentIdInfo } from './resident-id.js';
export { validateCreditCode, creditCodeCheckCharacter, type CreditCodeError } from './credit-code.js';
export { validateMobile, validateCardNumber, validatePersonName, type MobileError, type CardNumberError, type NameError } from './contact.js';
export type { Validation } from './result.js';
