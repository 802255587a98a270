#ifndef TIDELINE_PROCESS_SHIMS_H
#define TIDELINE_PROCESS_SHIMS_H

/// Asks the kernel to send `signal` to this process when its parent dies (Linux prctl
/// PR_SET_PDEATHSIG; prctl is variadic, which Swift cannot call). Returns 0, or -1 where the
/// platform has no such call.
int tideline_set_parent_death_signal(int signal);

#endif
