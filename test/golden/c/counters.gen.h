// Generated from src/plan/counters.ts by src/backend/helper/c-sources/counters-header.ts: do not edit.

enum counter {
	C_OPEN,
	C_OPEN_ERROR,
	C_CLOSE,
	C_CLOSE_ERROR,
	C_UNLINK,
	C_UNLINK_ERROR,
	C_READ,
	C_READ_BYTES,
	C_READ_ERROR,
	C_WRITE,
	C_WRITE_BYTES,
	C_WRITE_ERROR,
	C_PROCESS,
	C_THREAD,
	C_PROCESS_ERROR,
	C_THREAD_ERROR,
	C_EXIT,
	C_RELEASE,
	COUNTER_COUNT,
};

#define COUNTER_NAMES { \
	[C_OPEN] = "open", \
	[C_OPEN_ERROR] = "open_error", \
	[C_CLOSE] = "close", \
	[C_CLOSE_ERROR] = "close_error", \
	[C_UNLINK] = "unlink", \
	[C_UNLINK_ERROR] = "unlink_error", \
	[C_READ] = "read", \
	[C_READ_BYTES] = "read_bytes", \
	[C_READ_ERROR] = "read_error", \
	[C_WRITE] = "write", \
	[C_WRITE_BYTES] = "write_bytes", \
	[C_WRITE_ERROR] = "write_error", \
	[C_PROCESS] = "process", \
	[C_THREAD] = "thread", \
	[C_PROCESS_ERROR] = "process_error", \
	[C_THREAD_ERROR] = "thread_error", \
	[C_EXIT] = "exit", \
	[C_RELEASE] = "release", \
}
