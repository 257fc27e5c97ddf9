/**
 * Loaded by mocha before any test file (.mocharc.json `require`): relaxed SIMD on, as the CLI
 * and the training worker turn it on, so that on Node 20 the tests that run each kernel variant
 * by name run the relaxed-SIMD build too, and `auto` means what it means for a user.
 */
import { enableRelaxedSimd } from '../../../src/node/relaxedSimd';

enableRelaxedSimd();
