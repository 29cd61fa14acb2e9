/* Win32 base types for POSIX hosts, sized as on 64-bit Windows (LLP64: DWORD and LONG are 32-bit).
 */
#ifndef NTC_MINWINDEF_H
#define NTC_MINWINDEF_H

#include <stddef.h>
#include <stdint.h>

/* Calling conventions do not exist on x86_64 System V; keep the names for source compatibility. */
#define WINAPI
#define WINAPIV
#define APIENTRY
#define CALLBACK
#define WSAAPI
#define WINBASEAPI
#define DECLSPEC_IMPORT
#define IN
#define OUT
#define OPTIONAL
#define CONST const
#define VOID void

/* Symbols whose Win32 name is also a libc name are bound to compat's own symbol. */
#define NTC_STR2_(x) #x
#define NTC_STR_(x) NTC_STR2_(x)
#define NTC_ASM(name) __asm__(NTC_STR_(__USER_LABEL_PREFIX__) "ntc_" #name)

typedef int BOOL;
typedef BOOL *PBOOL, *LPBOOL;
typedef unsigned char BYTE, UCHAR, BOOLEAN;
typedef BYTE *PBYTE, *LPBYTE, *PUCHAR;
typedef char CHAR, CCHAR;
typedef CHAR *PCHAR, *LPCH;
typedef unsigned short WORD, USHORT;
typedef WORD *PWORD, *LPWORD, *PUSHORT;
typedef short SHORT;
typedef int INT, LONG;
typedef INT *PINT, *LPINT;
typedef LONG *PLONG, *LPLONG;
typedef unsigned int UINT, ULONG, DWORD;
typedef UINT *PUINT;
typedef ULONG *PULONG;
typedef DWORD *PDWORD, *LPDWORD;
typedef long long LONGLONG, LONG64, INT64;
typedef unsigned long long ULONGLONG, DWORD64, ULONG64, UINT64, DWORDLONG;
typedef intptr_t INT_PTR, LONG_PTR, SSIZE_T;
typedef uintptr_t UINT_PTR, ULONG_PTR, DWORD_PTR, SIZE_T;
typedef INT_PTR *PINT_PTR;
typedef LONG_PTR *PLONG_PTR;
typedef UINT_PTR *PUINT_PTR;
typedef ULONG_PTR *PULONG_PTR;
typedef SIZE_T *PSIZE_T;
typedef float FLOAT;

/* WCHAR is UTF-16 as on Windows, not the host's 32-bit wchar_t. */
typedef unsigned short WCHAR;
typedef WCHAR *PWSTR, *LPWSTR, *PWCHAR;
typedef const WCHAR *PCWSTR, *LPCWSTR;
typedef CHAR *PSTR, *LPSTR;
typedef const CHAR *PCSTR, *LPCSTR;
#ifdef UNICODE
typedef WCHAR TCHAR;
typedef LPWSTR LPTSTR;
typedef LPCWSTR LPCTSTR;
#else
typedef char TCHAR;
typedef LPSTR LPTSTR;
typedef LPCSTR LPCTSTR;
#endif

typedef void *PVOID, *LPVOID;
typedef const void *LPCVOID, *PCVOID;
typedef void *HANDLE;
typedef HANDLE *PHANDLE, *LPHANDLE;
typedef DWORD ACCESS_MASK;
typedef WORD ATOM;
typedef LONG HRESULT;
typedef LONG NTSTATUS;

#define DECLARE_HANDLE(name)                                                                       \
    struct name##__ {                                                                              \
        int unused;                                                                                \
    };                                                                                             \
    typedef struct name##__ *name
DECLARE_HANDLE(HINSTANCE);
typedef HINSTANCE HMODULE;
DECLARE_HANDLE(HKEY);
DECLARE_HANDLE(HWND);

/* An unprototyped pointer, as in the Windows SDK: cast it to the real type of the export. */
typedef INT_PTR(WINAPI *FARPROC)();
typedef INT_PTR(WINAPI *NEARPROC)();
typedef INT_PTR(WINAPI *PROC)();

#ifndef FALSE
#define FALSE 0
#endif
#ifndef TRUE
#define TRUE 1
#endif
#define MAX_PATH 260

#define MAKEWORD(a, b)                                                                             \
    ((WORD)(((BYTE)((DWORD_PTR)(a)&0xff)) | ((WORD)((BYTE)((DWORD_PTR)(b)&0xff))) << 8))
#define MAKELONG(a, b)                                                                             \
    ((LONG)(((WORD)((DWORD_PTR)(a)&0xffff)) | ((DWORD)((WORD)((DWORD_PTR)(b)&0xffff))) << 16))
#define LOWORD(l) ((WORD)((DWORD_PTR)(l)&0xffff))
#define HIWORD(l) ((WORD)((DWORD_PTR)(l) >> 16))
#define LOBYTE(w) ((BYTE)((DWORD_PTR)(w)&0xff))
#define HIBYTE(w) ((BYTE)((DWORD_PTR)(w) >> 8))

typedef struct _FILETIME {
    DWORD dwLowDateTime;
    DWORD dwHighDateTime;
} FILETIME, *PFILETIME, *LPFILETIME;

#endif
