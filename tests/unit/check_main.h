/* check_main.h: the one main() of every unit test. Runs a Check suite without
 * forking (so ASan and LeakSanitizer see everything) and prints TAP, which the
 * automake TAP driver counts case by case. */
#ifndef QA_CHECK_MAIN_H
#define QA_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

#define CHECK_MAIN(suite_fn)                                      \
	int main(void)                                            \
	{                                                         \
		SRunner *sr = srunner_create(suite_fn());         \
		int failed;                                       \
		srunner_set_fork_status(sr, CK_NOFORK);           \
		srunner_set_tap(sr, "-");                         \
		srunner_run_all(sr, CK_SILENT);                   \
		failed = srunner_ntests_failed(sr);               \
		srunner_free(sr);                                 \
		return failed ? EXIT_FAILURE : EXIT_SUCCESS;      \
	}

#endif
