module example.invalid/kubeward

go 1.19
