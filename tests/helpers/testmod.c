/* The loadable module of the LoadLibrary / GetProcAddress test (every function is exported). */
#include <windows.h>

int WINAPI ntt_testmod_add(int a, int b);

int WINAPI ntt_testmod_add(int a, int b)
{
    return a + b;
}
