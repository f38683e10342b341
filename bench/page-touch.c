// What a page fault costs on this machine: the first write to each page of
// fresh anonymous memory (the engine's heap grows this way), and the first
// read of each page of a file already in the page cache (an executable's
// code and data; the kernel maps up to 16 pages around each fault). Prints
// two numbers, microseconds per page: anonymous, file.
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

enum { PAGES = 2048, PAGE = 4096 };

static double now_us(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

int main(int argc, char **argv) {
	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE (of at least %d pages)\n", argv[0], PAGES);
		return 2;
	}
	size_t size = (size_t)PAGES * PAGE;
	char *anon = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = open(argv[1], O_RDONLY);
	if (anon == MAP_FAILED || fd < 0) return 1;
	char *file = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (file == MAP_FAILED) return 1;
	// Into the page cache first: what is measured is mapping, not reading the disk.
	char buf[PAGE];
	for (int i = 0; i < PAGES; i++)
		if (pread(fd, buf, PAGE, (off_t)i * PAGE) != PAGE) return 1;

	double t0 = now_us();
	for (int i = 0; i < PAGES; i++) anon[(size_t)i * PAGE] = 1;
	double t1 = now_us();
	volatile char sum = 0;
	for (int i = 0; i < PAGES; i++) sum += file[(size_t)i * PAGE];
	double t2 = now_us();
	printf("%.2f %.2f\n", (t1 - t0) / PAGES, (t2 - t1) / PAGES);
	return 0;
}
