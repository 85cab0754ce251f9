package app

// PathFuncs lets the external tests call every function of the URL
// vocabulary (paths_test.go).
var PathFuncs = pathFuncs
