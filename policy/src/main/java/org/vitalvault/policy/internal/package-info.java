/** Helpers of the policy library. Not API: may change without notice. */
package org.vitalvault.policy.internal;
