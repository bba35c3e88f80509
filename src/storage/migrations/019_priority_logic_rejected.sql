-- An approver may reject a code-based logic waiting for approval, with a reason (kept in the audit
-- trail): the logic is then REJECTED, can no longer be approved or released, and is copied to try again.
ALTER TABLE priority_logics DROP CONSTRAINT IF EXISTS priority_logics_status_check;
ALTER TABLE priority_logics ADD CONSTRAINT priority_logics_status_check CHECK (status IN ('INACTIVE', 'ACTIVE', 'STAGGERED', 'PENDING_APPROVAL', 'REJECTED'));
